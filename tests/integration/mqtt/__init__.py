"""The MQTT client against a real Mosquitto broker."""
