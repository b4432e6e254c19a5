"""The domain: homes, devices, capabilities, commands, state reports and events. Pure: no I/O."""

from jipsa.core.capabilities import CATALOGUE, Attribute, Capability, CommandSpec, Value, ValueKind
from jipsa.core.clock import Clock, ManualClock, SystemClock
from jipsa.core.devices import (
    Area,
    Device,
    DeviceClass,
    DeviceType,
    Home,
    HomeInfo,
    Routine,
    RoutineAction,
)
from jipsa.core.errors import (
    AdapterAuthError,
    AdapterNotReadyError,
    CommandRejectedError,
    DeviceUnavailableError,
    HomeFileError,
    JipsaError,
    StorageError,
    UnknownDeviceError,
)
from jipsa.core.homefile import dump_home, parse_home
from jipsa.core.messages import Command, Event, EventType, StateReport
from jipsa.core.validation import command_effects, valid_state_values, validate_command

__all__ = [
    "CATALOGUE", "AdapterAuthError", "AdapterNotReadyError", "Area", "Attribute", "Capability",
    "Clock", "Command", "CommandRejectedError", "CommandSpec", "Device", "DeviceClass", "DeviceType",
    "DeviceUnavailableError", "Event", "EventType", "Home", "HomeFileError", "HomeInfo", "JipsaError",
    "ManualClock", "Routine", "RoutineAction", "StateReport", "StorageError", "SystemClock",
    "UnknownDeviceError", "Value", "ValueKind", "command_effects", "dump_home", "parse_home",
    "valid_state_values", "validate_command",
]
