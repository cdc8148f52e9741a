#!/usr/bin/env python3
"""Writes the unseen-format fixtures of tests/data/unseen/ (issue #12): files written the way
other projects write them, not the way strikemap's own samples are. Facts are made up for
tests; places are real. Needs openpyxl 3.1 (pip install openpyxl==3.1.5).

    python3 tests/data/unseen/make_fixtures.py
"""
import datetime as dt
import json
import os

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name):
    return os.path.join(HERE, name)


def workbook():
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "README"
    notes["A1"] = "Incident log, kept by hand. Sources in column J."
    notes["A3"] = "Killed/injured: unkn = not known."
    pivot = wb.create_sheet("Pivot")
    pivot.append(["Governorate", "Incidents"])
    pivot.append(["Kharkiv Oblast", 3])
    pivot.append(["Odesa Oblast", 2])
    log = wb.create_sheet("Incidents")
    log["A1"] = "Strikes on civilian infrastructure, October 2023"
    log["A2"] = "(draft, not for publication)"
    log.append([])
    header = ["Incident date", "Post Date", "Longitude", "Latitude", "Town", "Governorate",
              "Weapon", "Killed", "Injured", "Source"]
    log.append(header)
    rows = [
        [dt.datetime(2023, 10, 8), dt.datetime(2023, 10, 9), 36.2304, 49.9935, "Kharkiv",
         "Kharkiv Oblast", "Shahed drone", 2, 5, "https://example.org/a"],
        [dt.datetime(2023, 10, 9, 21, 30), None, "30.7233", "46.4825", "Odesa", "Odesa Oblast",
         "cruise missile", "unkn", "-", "Governor"],
        [None, dt.datetime(2023, 10, 11), 36.2304, 49.9935, "Kharkiv", "Kharkiv Oblast",
         "guided bomb", 0, 3, "Suspilne"],
        [45212, None, 35.0462, 48.4647, "Dnipro", "Dnipropetrovsk Oblast", "ballistic missile",
         "n/a", 12, "Police"],
        ["0023-05-01", None, 30.5234, 50.4501, "Kyiv", "Kyiv", "drone", 1, 1, "typo"],
        ["14/10/2023", None, 37.5413, 47.0971, "Mariupol", "Donetsk Oblast", "artillery", 4, 7,
         "OCHA"],
        [dt.datetime(2023, 10, 15), None, None, None, "Somewhere", "", "drone", None, None, ""],
    ]
    for r in rows:
        log.append(r)
    for row in log.iter_rows(min_row=5, max_col=2):
        for c in row:
            if isinstance(c.value, dt.datetime):
                c.number_format = "dd/mm/yyyy hh:mm" if c.value.hour else "dd/mm/yyyy"
    copy = wb.create_sheet("Incidents (old copy)")
    copy.append([])
    copy.append([None, None] + header)
    copy.append([None, None, dt.datetime(2023, 10, 8), None, 36.2304, 49.9935, "Kharkiv"])
    wb.save(out("incident_log.xlsx"))


def write(name, text):
    with open(out(name), "w", encoding="utf-8", newline="") as f:
        f.write(text)


def csvs():
    write("people_headers.csv", """Date of attack,Reported on,Lat,Lon,Location,District,Civilians killed,Casualties,Notes
26/10/25,27/10/25,50.4501,30.5234,Kyiv,Shevchenkivskyi,2,9,night attack
,28/10/2025,49.9935,36.2304,Kharkiv,Kyivskyi,unkn,3,date of attack not given
"October 8, 2023",,46.4825,30.7233,Odesa,,1,,month name
8 Oct,,46.9750,31.9946,Mykolaiv,,0,,no year: taken from the neighbours
31/12/23,,48.4647,35.0462,Dnipro,,-,,two-digit year
02/01/2024,,47.8388,35.1396,Zaporizhzhia,,3,4,
13/13/2024,,47.8388,35.1396,Zaporizhzhia,,,,impossible date
01/05/0023,,47.8388,35.1396,Zaporizhzhia,,,,implausible year
""")
    write("us_dates.csv", """event_date,latitude,longitude,city,fatalities
10/08/2023,49.9935,36.2304,Kharkiv,2
10/31/2023,46.4825,30.7233,Odesa,0
11/02/2023 14:05,50.4501,30.5234,Kyiv,
""")
    write("multilingual.csv", """дата;широта;довгота;населений пункт;область;загиблі;поранені
8 жовтня 2023;49,9935;36,2304;Харків;Харківська;2;5
9 октября 2023 г.;46.4825;30.7233;Одеса;Одеська;;1
10 ottobre 2023;50.4501;30.5234;Київ;;0;0
11 de octubre de 2023;48.4647;35.0462;Дніпро;;1;
12. Oktober 2023;47.8388;35.1396;Запоріжжя;;н/д;2
""")
    write("serials_and_epochs.csv", """id,Date,time_posted,X,Y,Weapon
a,45207,1696809600,36.2304,49.9935,drone
b,45208.5,1696896000,30.7233,46.4825,missile
c,45209,1696982400,30.5234,50.4501,
""")


def geojson():
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.2304, 49.9935]},
             "properties": {"DATE": "2023-10-08", "Killed": 2, "WEAPON": "drone", "Name": "Kharkiv strike"}},
            {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[30.70, 46.48], [30.74, 46.49]]},
             "properties": {"DATE": "09/10/2023", "Killed": "unknown", "Name": "Odesa port, two impacts"}},
            {"type": "Feature", "geometry": None,
             "properties": {"DATE": "2023-10-10", "Name": "no geometry"}},
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[35.0, 48.4], [35.1, 48.5]]},
             "properties": {"DATE": "14/10/2023", "Name": "shelling along a road"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.5234, 50.4501]},
             "properties": {"DATE": "2031-01-01", "Name": "future typo"}},
        ],
    }
    write("upper_case.geojson", json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    by_content = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.23, 49.99]},
             "properties": {"when_it_happened": "8 October 2023", "what": "strike"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [30.72, 46.48]},
             "properties": {"when_it_happened": "9 October 2023", "what": "strike"}},
        ],
    }
    write("dated_by_content.geojson", json.dumps(by_content, indent=1) + "\n")


if __name__ == "__main__":
    workbook()
    csvs()
    geojson()
