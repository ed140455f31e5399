def test_log_and_list(run, clock):
    run("log", "5", "--sleep", "7")
    rows = run.json("entry", "list")
    assert rows[0]["pain"] == 5 and rows[0]["sleep_hours"] == 7
    assert rows[0]["recorded_at"] == "2026-03-15T10:30:45"
