//! Background work: one small job type for every load, merge, rebuild and the file dialog.
//! A job runs on its own thread, can report progress and be asked to stop (through
//! [`Progress`]), is polled once per frame, and asks for a frame when it is done, so an idle
//! window wakes up exactly when there is something to show.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::import::Progress;

/// What polling a job found.
#[derive(Debug)]
pub enum Polled<T> {
    /// Still running.
    Pending,
    /// Finished with this result.
    Done(T),
    /// The thread ended without a result (it panicked).
    Lost,
}

/// Work running on a thread, with its result to collect.
pub struct Job<T> {
    rx: Receiver<T>,
    progress: Arc<Progress>,
}

impl<T: Send + 'static> Job<T> {
    /// Run `work` on a new thread; when it returns, `ctx` is asked for a frame.
    pub fn spawn(ctx: &egui::Context, work: impl FnOnce(&Progress) -> T + Send + 'static) -> Self {
        Self::spawn_with(ctx, Arc::new(Progress::default()), work)
    }

    /// [`Job::spawn`] reporting into an existing `progress` (a merge continuing a load keeps
    /// the load's progress bar and cancel button).
    pub fn spawn_with(
        ctx: &egui::Context,
        progress: Arc<Progress>,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        let (shared, repaint) = (progress.clone(), ctx.clone());
        std::thread::spawn(move || {
            let _ = tx.send(work(&shared));
            repaint.request_repaint();
        });
        Self { rx, progress }
    }
}

impl<T> Job<T> {
    /// Take the result if it is there (never blocks).
    pub fn poll(&self) -> Polled<T> {
        match self.rx.try_recv() {
            Ok(v) => Polled::Done(v),
            Err(TryRecvError::Empty) => Polled::Pending,
            Err(TryRecvError::Disconnected) => Polled::Lost,
        }
    }

    /// Ask the work to stop at its next check; its result, if any, should not be used.
    pub fn cancel(&self) {
        self.progress
            .cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// How far it is, and its cancel flag.
    pub fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_hands_over_its_result_and_asks_for_a_frame() {
        let ctx = egui::Context::default();
        let job = Job::spawn(&ctx, |_| 6 * 7);
        let got = loop {
            match job.poll() {
                Polled::Pending => std::thread::yield_now(),
                Polled::Done(v) => break v,
                Polled::Lost => panic!("the job's thread ended without a result"),
            }
        };
        assert_eq!(got, 42);
    }

    #[test]
    fn a_cancelled_job_sees_the_flag_and_a_panicking_one_is_lost() {
        let ctx = egui::Context::default();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let job = Job::spawn(&ctx, move |p| {
            let _ = wait.recv();
            p.cancelled()
        });
        job.cancel();
        let _ = go.send(());
        let seen = loop {
            if let Polled::Done(v) = job.poll() {
                break v;
            }
            std::thread::yield_now();
        };
        assert!(seen, "the work saw the cancel flag");
        let lost: Job<()> = Job::spawn(&ctx, |_| panic!("boom"));
        while matches!(lost.poll(), Polled::Pending) {
            std::thread::yield_now();
        }
        assert!(matches!(lost.poll(), Polled::Lost));
    }
}
