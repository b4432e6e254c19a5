"""The exceptions jipsa raises, grouped by how a caller reacts to them.

::

    JipsaError                      root of everything jipsa raises on purpose
    ├── HomeFileError               the home file is malformed (file, line, key)
    ├── UnknownDeviceError          a device id that the home does not hold
    ├── CommandRejectedError        a command that fails validation (with the allowed range)
    ├── DeviceUnavailableError      the device is known but does not answer
    ├── AdapterNotReadyError        the adapter is starting or reconnecting: retry with backoff
    ├── AdapterAuthError            the user must re-authenticate with a vendor cloud
    ├── AccessDeniedError           the person asking may not do this in this home (a guest unlocking)
    ├── AccountError                a user, member or token that cannot be made or changed as asked
    └── StorageError                the store could not read or write

"Not understood" is a result of the language layer, never an exception. Programmer misuse raises
built-in exceptions (``TypeError``, ``ValueError``).
"""

from __future__ import annotations


class JipsaError(Exception):
    """Root of every error jipsa raises on purpose."""


class HomeFileError(JipsaError):
    """The home file cannot be used as it is."""

    def __init__(self, message: str, *, file: str = "<home>", line: int | None = None,
                 key: str | None = None) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        where = file if line is None else f"{file}:{line}"
        at_key = f" [{key}]" if key else ""
        super().__init__(f"{where}{at_key}: {message}")


class UnknownDeviceError(JipsaError):
    """A device id that the home does not hold."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id
        super().__init__(f"unknown device: {device_id!r}")


class CommandRejectedError(JipsaError):
    """A command that fails validation against the device's capabilities.

    ``message_ko`` and ``message_en`` are ready to show a person; ``allowed`` describes the valid range
    or values where there is one (``"18–30 °C"``, ``"cool, heat, dry"``).
    """

    def __init__(self, *, device_id: str, reason: str, message_ko: str, message_en: str,
                 allowed: str | None = None) -> None:
        self.device_id = device_id
        self.reason = reason
        self.message_ko = message_ko
        self.message_en = message_en
        self.allowed = allowed
        super().__init__(f"{device_id}: {message_en}")


class DeviceUnavailableError(JipsaError):
    """The device is known but does not answer."""

    def __init__(self, device_id: str, detail: str = "") -> None:
        self.device_id = device_id
        self.detail = detail
        super().__init__(f"{device_id} is unavailable" + (f": {detail}" if detail else ""))


class CommandUnconfirmedError(JipsaError):
    """The command went out, but the device did not report the change in time: it may or may not have
    happened."""

    def __init__(self, device_id: str, seconds: float) -> None:
        self.device_id = device_id
        self.seconds = seconds
        super().__init__(f"{device_id}: sent, but not confirmed within {seconds:g} s")


class AdapterNotReadyError(JipsaError):
    """The adapter is starting or reconnecting; the caller may retry with backoff."""

    def __init__(self, adapter: str, detail: str = "") -> None:
        self.adapter = adapter
        self.detail = detail
        super().__init__(f"adapter {adapter!r} is not ready" + (f": {detail}" if detail else ""))


class AdapterAuthError(JipsaError):
    """The vendor cloud refused our credentials; the user must sign in again."""

    def __init__(self, adapter: str, detail: str = "") -> None:
        self.adapter = adapter
        self.detail = detail
        super().__init__(f"adapter {adapter!r} needs new credentials" + (f": {detail}" if detail else ""))


class AccessDeniedError(JipsaError):
    """The person (or program) asking may not do this: a guest unlocking a door, a read-only token
    sending a command."""

    def __init__(self, action: str, *, role: str | None = None, device_id: str | None = None) -> None:
        self.action = action
        self.role = role
        self.device_id = device_id
        who = f"a {role}" if role else "this caller"
        on = f" on {device_id}" if device_id else ""
        super().__init__(f"{who} may not {action}{on}")


class AccountError(JipsaError):
    """A user, membership or token request that cannot be done: ``reason`` is ``exists``,
    ``not_found``, ``invalid`` (a bad name, password or scope) or ``last_owner`` (a home would be left
    without an owner)."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        self.message = message
        super().__init__(message)


class StorageError(JipsaError):
    """The store could not read or write."""
