"""Washer, dryer, dishwasher, coffee machine and refrigerators of the virtual home."""

from __future__ import annotations

import pytest

WASHER = "washer.utility_room"
FRIDGE = "refrigerator.kitchen"


def test_washer_starts_counts_down_every_minute_and_finishes(drive, reports_of):
    started = reports_of(drive.send(WASHER, "start"), WASHER)
    assert started == {"on": True, "operation_state": "running", "remaining_minutes": 60}

    seen = []
    for _ in range(59):
        seen.append(reports_of(drive.wait(minutes=1), WASHER)["remaining_minutes"])
    assert seen == list(range(59, 0, -1))
    assert drive[WASHER, "operation_state"] == "running"

    finished = reports_of(drive.wait(minutes=1), WASHER)
    assert finished == {"operation_state": "finished", "remaining_minutes": 0}
    assert reports_of(drive.wait(minutes=30), WASHER) == {}


def test_remaining_time_changes_only_on_whole_minutes(drive, reports_of):
    drive.send(WASHER, "start")
    assert reports_of(drive.wait(seconds=30), WASHER) == {}
    assert reports_of(drive.wait(seconds=30), WASHER) == {"remaining_minutes": 59}


@pytest.mark.parametrize(("device", "program", "minutes"), [
    (WASHER, "standard", 60), (WASHER, "quick", 30), (WASHER, "heavy", 90),
    (WASHER, "delicate", 50), (WASHER, "rinse", 20),
    ("dryer.utility_room", "standard", 80), ("dryer.utility_room", "quick", 40),
    ("dryer.utility_room", "delicate", 60),
    ("dishwasher.kitchen", "standard", 120), ("dishwasher.kitchen", "quick", 40),
    ("dishwasher.kitchen", "heavy", 150), ("dishwasher.kitchen", "eco", 180),
    ("coffee_machine.kitchen", "espresso", 1), ("coffee_machine.kitchen", "americano", 2),
])
def test_cycle_length_follows_the_program(drive, device, program, minutes):
    drive.send(device, "set_program", program=program)
    drive.send(device, "start")
    assert drive[device, "remaining_minutes"] == minutes
    drive.wait(minutes=minutes - 0.5)
    assert drive[device, "operation_state"] == "running"
    assert drive[device, "remaining_minutes"] == 1
    drive.wait(minutes=0.5)
    assert drive[device, "operation_state"] == "finished"
    assert drive[device, "remaining_minutes"] == 0


def test_pause_holds_the_cycle_and_start_resumes_it(drive, reports_of):
    drive.send(WASHER, "start")
    drive.wait(minutes=10)
    assert reports_of(drive.send(WASHER, "pause"), WASHER) == {"operation_state": "paused"}
    drive.wait(minutes=120)
    assert drive[WASHER, "operation_state"] == "paused"
    assert drive[WASHER, "remaining_minutes"] == 50
    assert reports_of(drive.send(WASHER, "start"), WASHER) == {"operation_state": "running"}
    drive.wait(minutes=49)
    assert drive[WASHER, "remaining_minutes"] == 1
    drive.wait(minutes=1)
    assert drive[WASHER, "operation_state"] == "finished"


def test_stop_abandons_the_cycle(drive, reports_of):
    drive.send(WASHER, "start")
    drive.wait(minutes=5)
    assert reports_of(drive.send(WASHER, "stop"), WASHER) == {
        "operation_state": "idle", "remaining_minutes": None}
    drive.wait(minutes=90)
    assert drive[WASHER, "operation_state"] == "idle"
    assert drive[WASHER, "on"] is True


def test_switching_off_mid_cycle_abandons_it(drive):
    drive.send(WASHER, "start")
    drive.wait(minutes=5)
    drive.send(WASHER, "turn_off")
    assert drive[WASHER, "on"] is False
    assert drive[WASHER, "operation_state"] == "idle"
    assert drive[WASHER, "remaining_minutes"] is None


def test_start_after_finishing_runs_a_new_cycle(drive):
    drive.send("coffee_machine.kitchen", "start")
    drive.wait(minutes=5)
    assert drive["coffee_machine.kitchen", "operation_state"] == "finished"
    drive.send("coffee_machine.kitchen", "set_program", program="espresso")
    drive.send("coffee_machine.kitchen", "start")
    assert drive["coffee_machine.kitchen", "operation_state"] == "running"
    assert drive["coffee_machine.kitchen", "remaining_minutes"] == 1


def test_start_while_running_changes_nothing(drive):
    drive.send(WASHER, "start")
    drive.wait(minutes=20)
    assert drive.send(WASHER, "start") == []
    assert drive[WASHER, "remaining_minutes"] == 40


def test_a_stored_running_cycle_resumes_where_it_was(make_driver, demo_home):
    drive = make_driver(demo_home, states={WASHER: {
        "on": True, "operation_state": "running", "remaining_minutes": 7}})
    drive.wait(minutes=6)
    assert drive[WASHER, "remaining_minutes"] == 1
    drive.wait(minutes=1)
    assert drive[WASHER, "operation_state"] == "finished"


def test_fridge_door_open_warms_the_compartments_and_closing_recovers(drive, reports_of):
    assert reports_of(drive.sim.set_door(FRIDGE, True, drive.now), FRIDGE) == {"door_open": True}
    drive.wait(minutes=1)
    assert drive[FRIDGE, "fridge_temperature"] <= 4
    drive.wait(minutes=9)
    warm_fridge, warm_freezer = drive[FRIDGE, "fridge_temperature"], drive[FRIDGE, "freezer_temperature"]
    assert 6 <= warm_fridge <= 9
    assert warm_freezer >= -12
    drive.wait(minutes=120)
    assert drive[FRIDGE, "fridge_temperature"] <= 28  # never warmer than the kitchen

    closed = drive.sim.set_door(FRIDGE, False, drive.now)
    assert reports_of(closed, FRIDGE)["door_open"] is False
    readings = []
    for _ in range(180):
        drive.wait(minutes=1)
        readings.append(drive[FRIDGE, "fridge_temperature"])
    assert readings == sorted(readings, reverse=True)  # cools steadily, no overshoot below the setpoint
    assert readings[-1] == 3
    assert drive[FRIDGE, "freezer_temperature"] == -18


def test_other_fridge_is_unaffected_by_an_open_door(drive):
    drive.sim.set_door(FRIDGE, True, drive.now)
    drive.wait(minutes=15)
    assert drive["refrigerator.kimchi", "fridge_temperature"] == 1
    assert drive["refrigerator.kimchi", "door_open"] is False


def test_fridge_setpoint_changes_the_reported_temperature(drive, reports_of):
    assert reports_of(drive.send(FRIDGE, "set_fridge_temperature", temperature=5), FRIDGE) == {
        "fridge_temperature": 5}
    drive.wait(minutes=60)
    assert drive[FRIDGE, "fridge_temperature"] == 5


def test_fridge_switched_off_slowly_warms(drive):
    drive.send(FRIDGE, "turn_off")
    drive.wait(minutes=10)
    assert drive[FRIDGE, "fridge_temperature"] in (3, 4)
    drive.wait(minutes=600)
    assert drive[FRIDGE, "fridge_temperature"] > 20


def test_set_door_on_something_else_is_misuse(drive):
    with pytest.raises(ValueError, match="not a refrigerator"):
        drive.sim.set_door(WASHER, True, drive.now)
