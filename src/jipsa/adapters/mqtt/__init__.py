"""MQTT: Home Assistant discovery, Zigbee2MQTT and a discovery publisher for the device simulator.

The pure mapping lives in ``template`` (value templates), ``binding`` (one jipsa device and its topics),
``discovery`` (Home Assistant MQTT discovery), ``z2m`` (Zigbee2MQTT's device list) and ``expose`` (jipsa
devices as discovery configs). They do no I/O; the client owns the connection.
"""
