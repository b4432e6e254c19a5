"""Air conditioners, heaters, the boiler, purifiers, humidifiers and dehumidifiers change their rooms."""

from __future__ import annotations

from jipsa.adapters.virtual import Ambient

AC = "climate.living_room"
SENSOR = "sensor.living_room_temperature"
BEDROOM_SENSOR = "sensor.master_bedroom_temperature"
PURIFIER = "air_purifier.living_room"
DUST = "sensor.living_room_dust"

WINTER_HOME = """
home: {name: 겨울집}
areas:
  - {id: living_room, name: 거실}
  - {id: bedroom, name: 침실}
  - {id: parking, name: 주차장}
devices:
  - {id: ac, name: 에어컨, area: living_room, type: air_conditioner,
     state: {on: false, target_temperature: 24, hvac_mode: cool, temperature: 15.0}}
  - {id: thermo, name: 온도계, area: living_room, type: sensor, device_class: temperature,
     state: {temperature: 15.0}}
  - {id: bed_thermo, name: 침실 온도계, area: bedroom, type: sensor, device_class: temperature,
     state: {temperature: 15.0}}
  - {id: boiler, name: 보일러, area: bedroom, type: boiler, state: {on: false, target_temperature: 22}}
  - {id: heater, name: 히터, area: bedroom, type: heater, state: {on: false, target_temperature: 25}}
  - {id: car, name: 차, area: parking, type: vehicle, state: {cabin_temperature: 5.0}}
"""


def test_ac_cools_its_area_slowly_towards_the_target_and_never_overshoots(drive):
    drive.send(AC, "turn_on")
    drive.wait(minutes=1)
    after_a_minute = drive[SENSOR, "temperature"]
    assert 27.2 <= after_a_minute <= 27.4  # about 0.1 °C a minute
    drive.wait(minutes=9)
    assert 26.3 <= drive[SENSOR, "temperature"] <= 26.7
    seen = []
    for _ in range(180):
        drive.wait(minutes=1)
        seen.append(drive[SENSOR, "temperature"])
        assert drive[AC, "temperature"] == drive[SENSOR, "temperature"]
    assert min(seen) >= 24.0
    assert seen[-1] == 24.0
    assert seen == sorted(seen, reverse=True)


def test_ac_cools_only_its_own_area(drive):
    before = drive[BEDROOM_SENSOR, "temperature"]
    drive.send(AC, "turn_on")
    drive.wait(minutes=30)
    assert drive[BEDROOM_SENSOR, "temperature"] >= before


def test_a_faster_fan_cools_faster(make_driver, demo_home):
    slow, fast = make_driver(demo_home), make_driver(demo_home)
    slow.send(AC, "set_fan_speed", fan_speed="low")
    fast.send(AC, "set_fan_speed", fan_speed="high")
    for drive in (slow, fast):
        drive.send(AC, "turn_on")
        drive.wait(minutes=15)
    assert fast[SENSOR, "temperature"] < slow[SENSOR, "temperature"]


def test_without_the_ac_the_room_drifts_back_towards_ambient(drive):
    drive.send(AC, "turn_on")
    drive.wait(minutes=60)
    drive.send(AC, "turn_off")
    cooled = drive[SENSOR, "temperature"]
    drive.wait(minutes=10)
    assert cooled < drive[SENSOR, "temperature"] < cooled + 1
    drive.wait(minutes=3 * 24 * 60)
    assert 27.5 <= drive[SENSOR, "temperature"] <= 28.0


def test_ambient_is_configurable(make_driver, demo_home):
    drive = make_driver(demo_home, ambient=Ambient(temperature=20.0))
    drive.wait(minutes=7 * 24 * 60)
    assert drive[SENSOR, "temperature"] == 20.0


def test_choosing_a_mode_switches_the_ac_on(make_driver, reports_of):
    drive = make_driver(WINTER_HOME, ambient=Ambient(temperature=5.0))
    assert reports_of(drive.send("ac", "set_hvac_mode", hvac_mode="heat"), "ac") == {
        "hvac_mode": "heat", "on": True}


def test_heat_mode_warms_and_cool_mode_does_not(make_driver):
    drive = make_driver(WINTER_HOME, ambient=Ambient(temperature=5.0))
    drive.send("ac", "turn_on")
    drive.wait(minutes=30)
    assert drive["thermo", "temperature"] < 15.0  # cooling a cold room does nothing; it gets colder
    drive.send("ac", "set_hvac_mode", hvac_mode="heat")
    start = drive["thermo", "temperature"]
    drive.wait(minutes=20)
    assert drive["thermo", "temperature"] > start + 1
    drive.wait(minutes=240)
    assert drive["thermo", "temperature"] == 24.0


def test_heater_warms_its_room(make_driver):
    drive = make_driver(WINTER_HOME, ambient=Ambient(temperature=5.0))
    drive.send("heater", "turn_on")
    drive.wait(minutes=30)
    assert drive["bed_thermo", "temperature"] > 16.0
    assert drive["thermo", "temperature"] < 15.0


def test_boiler_warms_the_whole_home_but_not_the_parking(make_driver):
    drive = make_driver(WINTER_HOME, ambient=Ambient(temperature=0.0))
    drive.send("boiler", "turn_on")
    drive.wait(minutes=12 * 60)
    assert 21.0 <= drive["thermo", "temperature"] <= 22.0
    assert 21.0 <= drive["bed_thermo", "temperature"] <= 22.0
    assert drive["boiler", "temperature"] == drive["bed_thermo", "temperature"]
    assert drive["car", "cabin_temperature"] < 3.0


def test_boiler_in_hot_water_mode_heats_no_rooms(make_driver):
    drive = make_driver(WINTER_HOME, ambient=Ambient(temperature=0.0))
    drive.send("boiler", "set_mode", mode="hot_water")
    drive.send("boiler", "turn_on")
    drive.wait(minutes=120)
    assert drive["thermo", "temperature"] < 15.0


def test_purifier_cleans_the_air_of_its_area(drive):
    assert drive[DUST, "pm25"] == 18
    drive.send(PURIFIER, "turn_on")
    drive.wait(minutes=30)
    pm25 = drive[DUST, "pm25"]
    assert 5 <= pm25 < 15
    assert drive[PURIFIER, "pm25"] == pm25
    assert drive[DUST, "pm10"] < 25
    drive.wait(minutes=300)
    assert drive[DUST, "pm25"] >= 2  # there is always a little dust


def test_purifier_turbo_cleans_faster_than_sleep(make_driver, demo_home):
    sleep, turbo = make_driver(demo_home), make_driver(demo_home)
    sleep.send(PURIFIER, "set_mode", mode="sleep")
    turbo.send(PURIFIER, "set_mode", mode="turbo")
    for drive in (sleep, turbo):
        assert drive[PURIFIER, "on"] is True
        drive.wait(minutes=15)
    assert turbo[DUST, "pm25"] < sleep[DUST, "pm25"]


def test_dust_comes_back_when_the_purifier_is_off(drive):
    drive.send(PURIFIER, "turn_on")
    drive.wait(minutes=60)
    drive.send(PURIFIER, "turn_off")
    clean = drive[DUST, "pm25"]
    drive.wait(minutes=24 * 60)
    assert clean < drive[DUST, "pm25"] <= 18


def test_humidifier_raises_humidity_to_the_target(drive):
    device = "humidifier.master_bedroom"
    assert drive[device, "humidity"] == 38.0
    drive.send(device, "turn_on")
    drive.wait(minutes=10)
    assert 39.0 <= drive[device, "humidity"] <= 41.0
    drive.wait(minutes=180)
    assert drive[device, "humidity"] == 50.0
    assert drive["sensor.living_room_humidity", "humidity"] == 55.0  # another room


def test_dehumidifier_lowers_humidity_to_the_target(drive):
    device = "dehumidifier.utility_room"
    drive.send(device, "set_humidity", humidity=45)
    drive.send(device, "turn_on")
    drive.wait(minutes=10)
    assert 61.0 <= drive[device, "humidity"] <= 63.0
    drive.wait(minutes=240)
    assert drive[device, "humidity"] == 45.0


def test_humidifier_never_dries_a_damp_room(make_driver, demo_home):
    drive = make_driver(demo_home, states={"humidifier.master_bedroom": {"humidity": 70.0}})
    drive.send("humidifier.master_bedroom", "turn_on")
    drive.wait(minutes=10)
    assert drive["humidifier.master_bedroom", "humidity"] == 70.0
