//! strikemap binary: parse the command line and run the viewer or a subcommand (`check`,
//! `export`, `generate`, `build-basemap`, `build-gazetteer`).

use clap::Parser;
use strikemap::cli::{Cli, Command};
use strikemap::{AppConfig, StrikemapApp};

/// mimalloc instead of glibc's malloc: loading, searching and exporting a large file build
/// millions of short-lived strings, and glibc's malloc/free were a quarter of an export's CPU.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    strikemap::process_start();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { json, sheet, files }) => exit(strikemap::cli::run_check_with(
            &files,
            json,
            &sheet_options(sheet),
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Some(Command::Export {
            format,
            out,
            sheet,
            filter,
            files,
        }) => match filter.filter() {
            Ok(filter) => exit(strikemap::cli::run_export(
                &files,
                format,
                &out,
                &sheet_options(sheet),
                &filter,
                &mut std::io::stdout().lock(),
                &mut std::io::stderr().lock(),
            )),
            Err(e) => {
                eprintln!("strikemap export: {e}");
                std::process::ExitCode::from(2)
            }
        },
        Some(Command::Draft {
            json,
            published,
            file,
        }) => exit(strikemap::cli::run_draft(
            &file,
            published.as_deref(),
            json,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        )),
        Some(Command::Generate {
            rows,
            format,
            seed,
            out,
        }) => {
            let opts = strikemap::generate::GenOptions { rows, format, seed };
            match strikemap::cli::run_generate(&opts, &out, &mut std::io::stdout().lock()) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("strikemap generate: {e}");
                    std::process::ExitCode::from(1)
                }
            }
        }
        Some(Command::Bench {
            rows,
            file,
            runs,
            frames,
            frames_only,
        }) => {
            let opts = strikemap::bench::BenchOptions {
                rows,
                file,
                runs,
                frames,
                frames_only,
            };
            match strikemap::bench::run_bench(&opts, &mut std::io::stdout().lock()) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("strikemap bench: {e}");
                    std::process::ExitCode::from(1)
                }
            }
        }
        Some(Command::BenchLoad { file }) => match strikemap::bench::bench_load(&file) {
            Ok(stats) => {
                println!("{}", serde_json::to_string(&stats).unwrap_or_default());
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("strikemap bench-load: {e}");
                std::process::ExitCode::from(1)
            }
        },
        Some(Command::BuildBasemap { geodata, out }) => {
            match strikemap::geo::build::build_to_file(&geodata, &out) {
                Ok((gz, raw)) => {
                    println!("wrote {} ({gz} bytes; {raw} inflated)", out.display());
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("strikemap build-basemap: {e}");
                    std::process::ExitCode::from(1)
                }
            }
        }
        Some(Command::BuildGazetteer { geodata, out }) => {
            match strikemap::geo::build_gazetteer::build_to_file(&geodata, &out) {
                Ok((gz, raw)) => {
                    println!("wrote {} ({gz} bytes; {raw} inflated)", out.display());
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("strikemap build-gazetteer: {e}");
                    std::process::ExitCode::from(1)
                }
            }
        }
        None => run_viewer(AppConfig {
            files: cli.files,
            tiles: !cli.no_tiles,
            tile_cache: strikemap::map::tiles::cache_dir(),
            view: cli.view,
            basemap: cli.basemap,
            native_dialogs: true,
            ..Default::default()
        }),
    }
}

/// Reading options of `check` and `export`: a workbook's sheet, if one was asked for.
fn sheet_options(sheet: Option<String>) -> strikemap::import::LoadOptions {
    strikemap::import::LoadOptions {
        sheet,
        ..Default::default()
    }
}

/// A subcommand's exit code (0, 1 or 2) as the process's.
fn exit(code: i32) -> std::process::ExitCode {
    std::process::ExitCode::from(u8::try_from(code).unwrap_or(1))
}

fn run_viewer(config: AppConfig) -> std::process::ExitCode {
    // eframe hands the saved zoom factor and window geometry to winit, which panics on bad
    // ones: repair them in the file first.
    if let Some(dir) = eframe::storage_dir("strikemap") {
        for n in strikemap::settings::repair_storage_file(&dir.join("app.ron")) {
            log::warn!("settings: {n}");
        }
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("strikemap")
            .with_app_id("strikemap")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 420.0]),
        ..Default::default()
    };
    match eframe::run_native(
        "strikemap",
        options,
        Box::new(|cc| Ok(Box::new(StrikemapApp::new(cc, config)))),
    ) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("strikemap: cannot open a window: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
