"""Things that move: the robot vacuum, the car and covers."""

from __future__ import annotations

VACUUM = "vacuum.home"
CAR = "vehicle.car"
CURTAIN = "cover.living_room_curtain"
BLIND = "cover.master_bedroom_blind"


def _phases(drive, device, attribute, minutes):
    """The value of one attribute after each of ``minutes`` minutes."""
    seen = []
    for _ in range(minutes):
        drive.wait(minutes=1)
        seen.append(drive[device, attribute])
    return seen


def test_vacuum_cleans_then_returns_then_docks_and_charges(drive, reports_of):
    assert reports_of(drive.send(VACUUM, "start"), VACUUM) == {"vacuum_state": "cleaning"}
    drive.wait(minutes=10)
    assert drive[VACUUM, "vacuum_state"] == "cleaning"
    assert drive[VACUUM, "battery"] == 90  # about 1 % a minute
    states = _phases(drive, VACUUM, "vacuum_state", 40)
    assert states.index("returning") == 29  # 40 minutes of cleaning in all
    assert "docked" in states
    assert states[-1] == "docked"
    assert states == sorted(states, key=["cleaning", "returning", "docked"].index)
    low = drive[VACUUM, "battery"]
    assert 55 <= low <= 70
    drive.wait(minutes=30)
    assert drive[VACUUM, "battery"] > low
    drive.wait(minutes=120)
    assert drive[VACUUM, "battery"] == 100


def test_vacuum_heads_home_when_the_battery_runs_low(make_driver, demo_home):
    drive = make_driver(demo_home, states={VACUUM: {"battery": 30}})
    drive.send(VACUUM, "start")
    states = _phases(drive, VACUUM, "vacuum_state", 20)
    assert states[14] == "returning"  # 30 % → 15 % in 15 minutes
    assert states[-1] == "docked"
    assert drive[VACUUM, "battery"] >= 10


def test_return_to_base_docks_in_a_few_minutes(drive):
    drive.send(VACUUM, "start")
    drive.wait(minutes=5)
    drive.send(VACUUM, "return_to_base")
    assert drive[VACUUM, "vacuum_state"] == "returning"
    drive.wait(minutes=5)
    assert drive[VACUUM, "vacuum_state"] == "docked"


def test_vacuum_pause_holds_and_start_resumes(drive):
    drive.send(VACUUM, "start")
    drive.wait(minutes=20)
    drive.send(VACUUM, "pause")
    battery = drive[VACUUM, "battery"]
    drive.wait(minutes=60)
    assert drive[VACUUM, "vacuum_state"] == "paused"
    assert drive[VACUUM, "battery"] == battery
    drive.send(VACUUM, "start")
    drive.wait(minutes=19)
    assert drive[VACUUM, "vacuum_state"] == "cleaning"
    drive.wait(minutes=2)
    assert drive[VACUUM, "vacuum_state"] == "returning"


def test_vacuum_stop_leaves_it_idle_where_it_is(drive):
    drive.send(VACUUM, "start")
    drive.wait(minutes=5)
    drive.send(VACUUM, "stop")
    drive.wait(minutes=60)
    assert drive[VACUUM, "vacuum_state"] == "idle"
    assert drive.send(VACUUM, "return_to_base")[0].values == {"vacuum_state": "returning"}


def test_remote_start_conditions_the_cabin_and_switches_off_after_ten_minutes(drive, reports_of):
    assert reports_of(drive.send(CAR, "start_engine"), CAR) == {"engine_on": True}
    cabin = _phases(drive, CAR, "cabin_temperature", 10)
    assert 12.3 <= cabin[0] <= 12.7  # about half a degree a minute
    assert cabin == sorted(cabin)
    assert cabin[-1] <= 22.0
    assert drive[CAR, "engine_on"] is False  # remote start ends by itself
    warmed = cabin[-1]
    drive.wait(minutes=1)
    assert drive[CAR, "cabin_temperature"] < warmed + 0.2  # no longer conditioned


def test_engine_can_be_stopped_early(drive):
    drive.send(CAR, "start_engine")
    drive.wait(minutes=2)
    drive.send(CAR, "stop_engine")
    assert drive[CAR, "engine_on"] is False


def test_remote_climate_reaches_its_target_without_overshooting(make_driver, demo_home):
    drive = make_driver(demo_home, states={CAR: {"cabin_temperature": 20.0}})
    drive.send(CAR, "start_climate", temperature=23)
    assert drive[CAR, "climate_on"] is True
    assert drive[CAR, "climate_target"] == 23.0
    cabin = _phases(drive, CAR, "cabin_temperature", 9)
    assert max(cabin) == 23.0
    assert cabin[-1] == 23.0
    drive.wait(minutes=1)
    assert drive[CAR, "climate_on"] is False


def test_an_idling_engine_burns_fuel_and_range_follows(drive):
    fuel, range_km = drive[CAR, "fuel_percent"], drive[CAR, "range_km"]
    for _ in range(6):
        drive.send(CAR, "start_engine")
        drive.wait(minutes=10)
    assert drive[CAR, "fuel_percent"] < fuel
    assert drive[CAR, "range_km"] < range_km


def test_car_locks_at_once(drive, reports_of):
    assert reports_of(drive.send(CAR, "unlock"), CAR) == {"locked": False}
    assert reports_of(drive.send(CAR, "lock"), CAR) == {"locked": True}


def test_cover_travels_gradually_to_open(drive, reports_of):
    assert drive.send(CURTAIN, "open") == []  # it has not moved yet
    positions = []
    for _ in range(12):
        positions.append(reports_of(drive.wait(seconds=1), CURTAIN).get("position"))
    moving = [p for p in positions if p is not None]
    assert 0 < moving[0] < 50
    assert moving == sorted(moving)
    assert moving[-1] == 100
    assert drive[CURTAIN, "position"] == 100


def test_cover_stop_halts_it_where_it_is(drive):
    drive.send(BLIND, "close")
    drive.wait(seconds=6)
    halfway = drive[BLIND, "position"]
    assert 0 < halfway < 100
    drive.send(BLIND, "stop")
    drive.wait(minutes=5)
    assert drive[BLIND, "position"] == halfway


def test_cover_set_position(drive):
    drive.send(CURTAIN, "set_position", position=40)
    drive.wait(seconds=2)
    assert 0 < drive[CURTAIN, "position"] < 40
    drive.wait(minutes=1)
    assert drive[CURTAIN, "position"] == 40
    drive.send(CURTAIN, "close")
    drive.wait(minutes=1)
    assert drive[CURTAIN, "position"] == 0
