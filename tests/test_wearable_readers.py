"""The phone and watch readers (Apple Health, Fitbit, Oura) on hand-written fixtures in tests/data/wearables/.

Each expected value is worked out by hand in the comments, from the fixture's records.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paindiary.errors import PaindiaryError
from paindiary.io.apple_health import read_apple_health
from paindiary.io.fitbit import read_fitbit
from paindiary.io.oura import read_oura
from paindiary.measures import Reading

DATA = Path(__file__).parent / "data" / "wearables"
APPLE = DATA / "apple_health" / "export.xml"
TAKEOUT = DATA / "fitbit" / "Takeout"
FITBIT_CSV = DATA / "fitbit" / "fitbit_export_20101015.csv"
OURA_JSON = DATA / "oura" / "json" / "oura_data.json"
OURA_CSV = DATA / "oura" / "csv"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def values(result: Reading) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for m in result.measurements:
        out.setdefault(m.metric, {})[m.day] = m.value
    return out


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, prefix + file.relative_to(folder).as_posix())
    return target


# --- Apple Health ------------------------------------------------------------------------

APPLE_EXPECTED = {
    "sleep_minutes": {
        # night to 2026-03-07 (EST): AutoSleep 22:45-00:30, watch 23:00-01:00, awake 01:00-01:10 (not asleep),
        # watch 01:10-02:00, 02:00-03:00, 03:00-06:30; the phone's InBed 22:40-06:50 does not count.
        # Union: 22:45-01:00 = 135 min + 01:10-06:30 = 320 min = 455 (the 10-minute gap keeps it one night)
        "2026-03-07": 455.0,
        # the DST night to 2026-03-08: 23:30 EST (04:30Z) - 01:45 EST (06:45Z) = 135 min;
        # 01:45 EST (06:45Z) - 03:30 EDT (07:30Z) = 45 min (the wall clock says 105); awake 03:30-03:40;
        # 03:40 EDT (07:40Z) - 07:10 EDT (11:10Z) = 210 min; the phone's older "Asleep" 06:30-07:30 EDT adds
        # 07:10-07:30 = 20 min. Night: 135 + 45 + 210 + 20 = 410; nap 15:00-15:30 EDT = 30 -> 440
        "2026-03-08": 440.0,
    },
    "steps": {
        # watch 09:00-09:10 600; phone 09:05-09:15 400 = 40/min, of which 09:10-09:15 is not the watch's: 200;
        # phone 12:00-12:20 1000; watch 23:55-00:05 100 = 10/min, 5 min before midnight: 50.
        # 600 + 200 + 1000 + 50 = 1850
        "2026-03-07": 1850,
        # the watch sample's other 50 + watch 10:00-10:30 EDT 1500 (written twice: counts once; the phone's
        # 1400 over the same half hour does not count): 50 + 1500 = 1550
        "2026-03-08": 1550,
    },
    # 2026-03-07: 58; 2026-03-08: the watch's 61 and Oura's 57 -> the lowest, 57
    "resting_hr": {"2026-03-07": 58.0, "2026-03-08": 57.0},
}


def test_apple_health_export_xml() -> None:
    result = read_apple_health(APPLE)
    assert result.source == "apple-health"
    assert values(result) == APPLE_EXPECTED
    assert [(m.day, m.metric) for m in result.measurements][:3] == [
        ("2026-03-07", "sleep_minutes"),
        ("2026-03-07", "steps"),
        ("2026-03-07", "resting_hr"),
    ]
    assert result.used == {
        "HKCategoryTypeIdentifierSleepAnalysis": 10,
        "HKQuantityTypeIdentifierRestingHeartRate": 3,
        "HKQuantityTypeIdentifierStepCount": 7,
    }
    assert result.skipped == {
        "ActivitySummary": 2,
        "Correlation": 1,
        "HKCategoryTypeIdentifierSleepAnalysis Awake": 2,
        "HKCategoryTypeIdentifierSleepAnalysis InBed": 1,
        "HKQuantityTypeIdentifierActiveEnergyBurned": 1,
        "HKQuantityTypeIdentifierBloodPressureDiastolic": 1,  # inside the Correlation
        "HKQuantityTypeIdentifierBloodPressureSystolic": 1,
        "HKQuantityTypeIdentifierHeartRate": 3,
        "Workout": 1,
    }


def test_apple_health_zip_and_folder(tmp_path: Path) -> None:
    folder = tmp_path / "apple_health_export"
    folder.mkdir()
    shutil.copy(APPLE, folder / "export.xml")
    (folder / "export_cda.xml").write_text("<ClinicalDocument/>", encoding="utf-8")
    (folder / "workout-routes").mkdir()
    (folder / "workout-routes" / "route_2026-03-08_10.00am.gpx").write_text("<gpx/>", encoding="utf-8")
    archive = zip_folder(tmp_path, tmp_path / "export.zip")
    assert values(read_apple_health(archive)) == APPLE_EXPECTED
    assert values(read_apple_health(folder)) == APPLE_EXPECTED
    assert values(read_apple_health(tmp_path)) == APPLE_EXPECTED  # the folder holding apple_health_export


def test_apple_health_progress() -> None:
    calls: list[tuple[int, int]] = []
    read_apple_health(APPLE, lambda done, total: calls.append((done, total)))
    size = APPLE.stat().st_size
    assert calls == [(size, size)]  # one chunk of up to 1 MiB


def test_a_truncated_apple_export_is_a_clean_error() -> None:
    with pytest.raises(PaindiaryError, match=r"export_truncated\.xml ends early or is damaged at line 46, column 2"):
        read_apple_health(DATA / "apple_health" / "export_truncated.xml")


def test_a_truncated_zip_is_a_clean_error(tmp_path: Path) -> None:
    whole = tmp_path / "export.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(DATA / "apple_health" / "export_truncated.xml", "apple_health_export/export.xml")
    with pytest.raises(PaindiaryError, match=r"export\.zip: apple_health_export/export\.xml ends early .* line 46"):
        read_apple_health(whole)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(zip_folder(DATA / "apple_health", tmp_path / "full.zip").read_bytes()[:1500])
    with pytest.raises(PaindiaryError):
        read_apple_health(cut)


_CLOSE = APPLE.read_bytes().rindex(b"</HealthData>") + len("</HealthData")


@SETTINGS
@given(st.integers(min_value=0, max_value=_CLOSE))
def test_apple_export_cut_anywhere_yields_nothing(tmp_path: Path, length: int) -> None:
    file = tmp_path / "export.xml"
    file.write_bytes(APPLE.read_bytes()[:length])
    with pytest.raises(PaindiaryError, match="ends early or is damaged"):
        read_apple_health(file)


def apple_records(*records: str) -> str:
    body = "\n".join(f" <Record {attributes}/>" for attributes in records)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n{body}\n</HealthData>\n'


STEP = 'type="HKQuantityTypeIdentifierStepCount" sourceName="Watch" unit="count"'
TIMES = 'startDate="2026-03-07 09:00:00 -0500" endDate="2026-03-07 09:10:00 -0500"'


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (f'{STEP} startDate="2026-03-07T09:00:00" endDate="2026-03-07 09:10:00 -0500" value="5"', "line 4 .*startDate"),
        (f'{STEP} startDate="2026-02-30 09:00:00 -0500" endDate="2026-03-07 09:10:00 -0500" value="5"', "real date"),
        (f'{STEP} startDate="2026-03-07 25:00:00 -0500" endDate="2026-03-07 09:10:00 -0500" value="5"', "real time"),
        (f'{STEP} startDate="2026-03-07 09:00:00 +2500" endDate="2026-03-07 09:10:00 -0500" value="5"', "no real UTC"),
        (f'{STEP} {TIMES} value="many"', r"line 4 \(record 2\): value 'many' is not a number"),
        (f'{STEP} {TIMES} value="-5"', "0 or more"),
        (f'{STEP} startDate="2026-03-07 09:10:00 -0500" endDate="2026-03-07 09:00:00 -0500" value="5"', "ends before"),
        (
            'type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" startDate="2026-03-07 06:00:00 -0500" '
            'endDate="2026-03-07 05:00:00 -0500" value="HKCategoryValueSleepAnalysisAsleepCore"',
            "ends before",
        ),
        (
            f'type="HKQuantityTypeIdentifierRestingHeartRate" sourceName="Watch" {TIMES} value="300"',
            "resting heart rate 300 is outside 20-250",
        ),
    ],
)
def test_bad_apple_records_name_their_line(tmp_path: Path, record: str, message: str) -> None:
    file = tmp_path / "export.xml"
    file.write_text(apple_records(f'{STEP} {TIMES} value="5"', record), encoding="utf-8")
    with pytest.raises(PaindiaryError, match=message):
        read_apple_health(file)


def test_apple_days_are_local_dates_in_each_records_own_offset(tmp_path: Path) -> None:
    file = tmp_path / "export.xml"
    sleep = (
        'type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Watch" value="HKCategoryValueSleepAnalysisAsleepCore"'
    )
    rest = 'type="HKQuantityTypeIdentifierRestingHeartRate" sourceName="Watch" unit="count/min"'
    file.write_text(
        apple_records(
            # 21:00-22:30 EST is 02:00Z-03:30Z on the 9th: 90 min on the local 8th
            f'{sleep} startDate="2026-03-08 21:00:00 -0500" endDate="2026-03-08 22:30:00 -0500"',
            # 23:00-23:20 EST (04:00Z-04:20Z on the 9th), 200 steps: on the local 8th
            f'{STEP} startDate="2026-03-08 23:00:00 -0500" endDate="2026-03-08 23:20:00 -0500" value="200"',
            # a resting heart rate for the day it starts, though it ends after midnight
            f'{rest} startDate="2026-03-08 00:03:00 -0500" endDate="2026-03-09 00:01:00 -0500" value="55"',
        ),
        encoding="utf-8",
    )
    assert values(read_apple_health(file)) == {
        "sleep_minutes": {"2026-03-08": 90.0},
        "steps": {"2026-03-08": 200},
        "resting_hr": {"2026-03-08": 55.0},
    }


def test_an_apple_export_without_supported_records_says_so(tmp_path: Path) -> None:
    file = tmp_path / "export.xml"
    heart = 'type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" ' + TIMES + ' value="70"'
    in_bed = (
        'type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="iPhone" '
        + TIMES
        + ' value="HKCategoryValueSleepAnalysisInBed"'
    )
    file.write_text(apple_records(heart, heart, in_bed), encoding="utf-8")
    nothing = (
        r"No sleep, steps or resting heart rate found in .*export\.xml \(it holds 2 HKQuantityTypeIdentifierHeartRate"
    )
    with pytest.raises(PaindiaryError, match=nothing):
        read_apple_health(file)


def test_not_an_apple_export(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<gpx><trk/></gpx>", encoding="utf-8")
    with pytest.raises(PaindiaryError, match="not an Apple Health export: it starts with <gpx>"):
        read_apple_health(other)
    records = tmp_path / "records.xml"
    records.write_text(f"<Record {STEP} {TIMES} value='5'/>", encoding="utf-8")
    with pytest.raises(PaindiaryError, match="it starts with <Record>, not <HealthData>"):
        read_apple_health(records)
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(PaindiaryError, match="ends early"):
        read_apple_health(empty)
    with pytest.raises(PaindiaryError, match="No file or folder"):
        read_apple_health(tmp_path / "missing.zip")
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.jpg", b"\xff\xd8")
        handle.writestr("b.jpg", b"\xff\xd8")
    with pytest.raises(PaindiaryError, match=r"No export\.xml"):
        read_apple_health(archive)


# --- Fitbit --------------------------------------------------------------------------------

FITBIT_EXPECTED = {
    # main sleeps: 412 min on 2026-03-07, 371 on 2026-03-08; the 36-minute nap (mainSleep false) does not count
    "sleep_minutes": {"2026-03-07": 412.0, "2026-03-08": 371.0},
    # 03/06: 12; 03/07: 0 + 52 + 110 + 97 + 64 = 323; 03/08: 120 + 131 = 251
    "steps": {"2026-03-06": 12, "2026-03-07": 323, "2026-03-08": 251},
    # 03/09 has 0.0: no reading
    "resting_hr": {"2026-03-07": 61.2, "2026-03-08": 59.87},
}
# Sleep section: 437 (ends 2010-10-14 7:02AM) + 35 (the nap ending 1:55PM the same day) = 472; 421 ends on the 15th
FITBIT_CSV_EXPECTED = {"sleep_minutes": {"2010-10-14": 472.0, "2010-10-15": 421.0}}


def test_fitbit_takeout_folder_and_zip(tmp_path: Path) -> None:
    result = read_fitbit(TAKEOUT)
    assert result.source == "fitbit"
    assert values(result) == FITBIT_EXPECTED
    assert result.used == {"resting heart rates": 2, "sleep logs (main sleep)": 2, "step counts": 8}
    assert result.skipped == {
        "calories-*.json files": 1,
        "heart_rate-*.json files": 1,
        "resting heart rates of 0 (no reading that day)": 1,
        "sleep logs that are not the main sleep (naps)": 1,
    }
    assert values(read_fitbit(zip_folder(TAKEOUT, tmp_path / "takeout.zip", "Takeout/"))) == FITBIT_EXPECTED


def test_fitbit_csv_export() -> None:
    result = read_fitbit(FITBIT_CSV)
    assert values(result) == FITBIT_CSV_EXPECTED
    assert result.used == {"sleep rows of the CSV export": 3}
    assert result.skipped == {"Activities rows of the CSV export": 2, "Body rows of the CSV export": 1}


def test_fitbit_takeout_wins_over_the_csv_export_for_the_same_day(tmp_path: Path) -> None:
    shutil.copytree(TAKEOUT, tmp_path / "Takeout")
    (tmp_path / "fitbit_export_20260308.csv").write_text(
        "Sleep\n" + ",".join(["Start Time", "End Time", "Minutes Asleep", "Minutes Awake", "Number of Awakenings",
                              "Time in Bed", "Minutes REM Sleep", "Minutes Light Sleep", "Minutes Deep Sleep"])
        + '\n"2026-03-07 11:20PM","2026-03-08 7:05AM","380","25","3","405","N/A","N/A","N/A"\n'
        + '"2026-03-08 11:00PM","2026-03-09 6:00AM","400","20","2","420","N/A","N/A","N/A"\n',
        encoding="utf-8",
    )  # fmt: skip
    # the 8th: Takeout's 371, not the CSV's 380; the 9th only in the CSV: 400
    assert values(read_fitbit(tmp_path))["sleep_minutes"] == {
        "2026-03-07": 412.0,
        "2026-03-08": 371.0,
        "2026-03-09": 400.0,
    }


def test_fitbit_a_sleep_log_in_two_files_counts_once(tmp_path: Path) -> None:
    shutil.copytree(TAKEOUT, tmp_path / "Takeout")
    data = tmp_path / "Takeout" / "Fitbit" / "Global Export Data"
    shutil.copy(data / "sleep-2026-03-07.json", data / "sleep-2026-04-06.json")
    result = read_fitbit(tmp_path)
    assert values(result)["sleep_minutes"] == FITBIT_EXPECTED["sleep_minutes"]
    assert result.skipped["sleep logs seen twice"] == 2


def fitbit_file(tmp_path: Path, name: str, records: Any) -> Path:
    folder = tmp_path / "Fitbit" / "Global Export Data"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(records), encoding="utf-8")
    return tmp_path


def minute(stamp: str, steps: str) -> dict[str, str]:
    return {"dateTime": stamp, "value": steps}


def resting(value: object) -> dict[str, object]:
    return {"dateTime": "03/07/26 00:00:00", "value": value}


SLEEP_FILE, STEPS_FILE, RESTING_FILE = (
    "sleep-2026-03-07.json",
    "steps-2026-03-07.json",
    "resting_heart_rate-2026-03-07.json",
)


@pytest.mark.parametrize(
    ("name", "records", "message"),
    [
        (SLEEP_FILE, [{"dateOfSleep": "2026-03-07", "minutesAsleep": "x"}], "record 1: minutesAsleep 'x'"),
        (SLEEP_FILE, [{"dateOfSleep": "07/03/2026", "minutesAsleep": 400}], "record 1: dateOfSleep '07/03/2026'"),
        (SLEEP_FILE, {"logId": 1}, "line 1: expected a list"),
        (STEPS_FILE, [minute("03/07/26 09:00:00", "5"), minute("13/07/26 09:00:00", "5")], "record 2: dateTime '13/07"),
        (STEPS_FILE, [minute("03/07/26 09:00:00", "-5")], "record 1: value '-5' is not a whole number of steps"),
        (RESTING_FILE, [resting({"date": "03/07/26", "value": 300})], "record 1: resting heart rate 300 is outside"),
        (RESTING_FILE, [resting(61)], "record 1: a resting heart rate is not"),
    ],
)
def test_bad_fitbit_records_name_their_file_and_record(tmp_path: Path, name: str, records: Any, message: str) -> None:
    with pytest.raises(PaindiaryError, match=f"{name}, {message}"):
        read_fitbit(fitbit_file(tmp_path, name, records))


def test_bad_fitbit_csv_names_its_line(tmp_path: Path) -> None:
    text = FITBIT_CSV.read_text(encoding="utf-8").replace('"2010-10-15 6:30AM"', '"15/10/2010 06:30"')
    (tmp_path / "fitbit_export_x.csv").write_text(text, encoding="utf-8")
    with pytest.raises(PaindiaryError, match=r"fitbit_export_x\.csv, line 14: End Time '15/10/2010 06:30'"):
        read_fitbit(tmp_path / "fitbit_export_x.csv")
    (tmp_path / "bad.csv").write_text("Sleep\nStart,End,Asleep\n", encoding="utf-8")
    with pytest.raises(PaindiaryError, match=r"bad\.csv, line 2: expected the header Start Time,End Time"):
        read_fitbit(tmp_path / "bad.csv")


def test_a_fitbit_export_without_supported_files_says_so(tmp_path: Path) -> None:
    folder = fitbit_file(tmp_path, "heart_rate-2026-03-07.json", [])
    with pytest.raises(
        PaindiaryError, match=r"No sleep, steps or resting heart rate found in .*\(it holds 1 heart_rate"
    ):
        read_fitbit(folder)


# --- Oura ----------------------------------------------------------------------------------

OURA_EXPECTED = {
    # 2026-03-07: long_sleep 25020 s + sleep 1530 s = 26550 s = 442.5 min (the rest-mode period does not count);
    # 2026-03-08: long_sleep 21960 s = 366 min (the late nap does not count); the deleted period on the 9th neither
    "sleep_minutes": {"2026-03-07": 442.5, "2026-03-08": 366.0},
    "steps": {"2026-03-07": 8412, "2026-03-08": 10233, "2026-03-09": 1204},
    # lowest_heart_rate of the counted periods: min(52, 58) = 52; 50 (the late nap's 60 does not count)
    "resting_hr": {"2026-03-07": 52.0, "2026-03-08": 50.0},
}
OURA_SKIPPED = {
    "sleep periods of type deleted": 1,
    "sleep periods of type late_nap": 1,
    "sleep periods of type rest": 1,
}


def test_oura_json() -> None:
    result = read_oura(OURA_JSON)
    assert result.source == "oura"
    assert values(result) == OURA_EXPECTED
    assert result.used == {"daily activity": 3, "sleep periods of type long_sleep": 2, "sleep periods of type sleep": 1}
    assert result.skipped == {**OURA_SKIPPED, "daily_readiness records": 1}


def test_oura_csv_folder_zip_and_file(tmp_path: Path) -> None:
    result = read_oura(OURA_CSV)
    assert values(result) == OURA_EXPECTED
    assert result.skipped == {**OURA_SKIPPED, "other files (dailyreadiness.csv)": 1}
    assert values(read_oura(zip_folder(OURA_CSV, tmp_path / "oura.zip"))) == OURA_EXPECTED
    one = read_oura(OURA_CSV / "App Data" / "sleepmodel.csv")
    assert values(one) == {key: OURA_EXPECTED[key] for key in ("sleep_minutes", "resting_hr")}


def test_oura_json_and_csv_of_the_same_export_count_once(tmp_path: Path) -> None:
    shutil.copytree(OURA_CSV, tmp_path / "csv")
    shutil.copy(OURA_JSON, tmp_path / "oura_data.json")
    result = read_oura(tmp_path)
    assert values(result) == OURA_EXPECTED
    assert result.skipped["sleep periods seen twice"] == 3


def test_oura_api_response_comma_csv_and_days_given_twice(tmp_path: Path) -> None:
    (tmp_path / "activity.json").write_text(
        json.dumps(
            {"data": [{"day": "2026-03-08", "steps": 10233}, {"day": "2026-03-08", "steps": 9100}], "next_token": None}
        ),
        encoding="utf-8",
    )
    (tmp_path / "sleep.csv").write_text(
        "day,bedtime_start,bedtime_end,total_sleep_duration,type,lowest_heart_rate\n"
        "2026-03-08,2026-03-07T23:40:00-05:00,2026-03-08T07:20:00-04:00,21960,long_sleep,\n",
        encoding="utf-8",
    )
    # the day's largest count, 10233; 21960 s = 366 min; no lowest heart rate, no resting heart rate
    assert values(read_oura(tmp_path)) == {"sleep_minutes": {"2026-03-08": 366.0}, "steps": {"2026-03-08": 10233}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("day;steps\n2026-03-07;8412\n2026-02-30;10\n", r"line 3: day '2026-02-30'"),
        ("day;steps\n2026-03-07;84.5\n", "line 2: steps '84.5' is not a whole number"),
        ("day;steps\n2026-03-07;8412;1\n", "line 2: this row has 3 cells"),
        (
            "day;bedtime_start;bedtime_end;total_sleep_duration\n2026-03-07;a;b;-60\n",
            "line 2: total_sleep_duration '-60'",
        ),
        (
            "day;bedtime_start;bedtime_end;total_sleep_duration;lowest_heart_rate\n2026-03-07;a;b;60;300\n",
            "line 2: lowest_heart_rate 300 is outside",
        ),
    ],
)
def test_bad_oura_csv_names_its_line(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "dailyactivity.csv").write_text(text, encoding="utf-8")
    with pytest.raises(PaindiaryError, match=rf"dailyactivity\.csv, {message}"):
        read_oura(tmp_path / "dailyactivity.csv")


def test_bad_oura_json_names_its_record(tmp_path: Path) -> None:
    (tmp_path / "o.json").write_text(json.dumps({"sleep": [{**_period(), "day": "x"}]}), encoding="utf-8")
    with pytest.raises(PaindiaryError, match=r"o\.json, sleep, record 1: day 'x'"):
        read_oura(tmp_path / "o.json")
    (tmp_path / "o.json").write_text('{"sleep": [', encoding="utf-8")
    with pytest.raises(PaindiaryError, match=r"o\.json, line 1: this is not well-formed JSON"):
        read_oura(tmp_path / "o.json")


def _period() -> dict[str, Any]:
    return {
        "day": "2026-03-07",
        "bedtime_start": "a",
        "bedtime_end": "b",
        "total_sleep_duration": 60,
        "type": "long_sleep",
    }


def test_an_oura_export_without_supported_records_says_so(tmp_path: Path) -> None:
    (tmp_path / "readiness.json").write_text(json.dumps({"daily_readiness": [{"day": "2026-03-07", "score": 80}]}))
    with pytest.raises(
        PaindiaryError, match=r"No sleep, steps or resting heart rate found .*1 daily_readiness records"
    ):
        read_oura(tmp_path)


# --- any bytes: only paindiary's own error ----------------------------------------------------

READERS: dict[str, Callable[[Path], Reading]] = {
    "export.xml": read_apple_health,
    "sleep-2026-03-07.json": read_fitbit,
    "fitbit_export_1.csv": read_fitbit,
    "sleepmodel.csv": read_oura,
    "oura.json": read_oura,
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)
sleep_like = st.fixed_dictionaries(
    {"day": json_values | st.just("2026-03-07"), "bedtime_start": json_values, "bedtime_end": json_values},
    optional={"total_sleep_duration": json_values, "type": json_values, "lowest_heart_rate": json_values,
              "dateOfSleep": json_values, "minutesAsleep": json_values, "mainSleep": json_values, "steps": json_values},
)  # fmt: skip


@pytest.mark.slow
@SETTINGS
@given(
    st.sampled_from(sorted(READERS)),
    st.binary(max_size=300)
    | st.text(max_size=300).map(str.encode)
    | st.lists(sleep_like, max_size=3).map(lambda records: json.dumps(records).encode()),
)
def test_any_bytes_give_a_reading_or_paindiarys_error(tmp_path: Path, name: str, data: bytes) -> None:
    file = tmp_path / name
    file.write_bytes(data)
    try:
        result = READERS[name](file)
    except PaindiaryError as exc:
        assert str(exc)
    else:
        assert result.measurements


def test_an_entity_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    entities = '<!ENTITY a0 "xxxxxxxxxx">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    )  # a9 would be 10^10 characters
    file = tmp_path / "export.xml"
    file.write_text(f'<?xml version="1.0"?><!DOCTYPE HealthData [{entities}]><HealthData a="&a9;"/>', encoding="utf-8")
    with pytest.raises(PaindiaryError, match="ends early or is damaged at line 1"):
        read_apple_health(file)
