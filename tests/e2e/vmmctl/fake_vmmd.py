#!/usr/bin/python3
"""A fake vmmd for vmmctl's CLI tests: owns org.vmmkit.vmm1 on the bus of
DBUS_SYSTEM_BUS_ADDRESS and implements daemon/interfaces/*.xml with machines
kept in memory. Written with dbus-python directly (not dbusmock) because
OpenMachineConsole returns a file descriptor: one end of a socketpair whose
other end plays the test guest's service mode (a banner, then "echo: LINE"
for each line; "bye" closes the console as a powered-off guest would).

A test-only object /org/vmmkit/test (interface org.vmmkit.test.Control)
records every Manager call (Calls, as JSON), makes the next call of a member
fail with a given D-Bus error (FailNext), and resets state (Reset).
"""
import json
import os
import socket
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib

SERVICE = "org.vmmkit.vmm1"
MANAGER_PATH = "/org/vmmkit/vmm1"
MANAGER = "org.vmmkit.vmm1.Manager"
MACHINE = "org.vmmkit.vmm1.Machine"
PROPERTIES = "org.freedesktop.DBus.Properties"
ERROR = "org.vmmkit.vmm1.Error."
BANNER = b"vmmkit test guest: service mode\r\n"


def error(name, message):
    return dbus.exceptions.DBusException(message, name=ERROR + name)


def escape_path(name):
    """sd_bus_path_encode: every byte but [A-Za-z0-9] as _XX."""
    return "".join(c if c.isascii() and c.isalnum() else "_%02x" % ord(c) for c in name)


class ConsolePeer:
    """The guest side of one console connection."""

    def __init__(self, sock):
        self.sock = sock
        self.pending = b""
        sock.setblocking(False)
        sock.sendall(BANNER)
        GLib.io_add_watch(sock.fileno(), GLib.IO_IN | GLib.IO_HUP | GLib.IO_ERR, self.on_input)

    def on_input(self, _fd, _condition):
        try:
            data = self.sock.recv(4096)
        except BlockingIOError:
            return True
        except OSError:
            data = b""
        if not data:
            self.sock.close()
            return False
        if b"\x03" in data:
            self.sock.sendall(b"interrupt\r\n")
            data = data.replace(b"\x03", b"")
        self.pending += data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            if line == b"bye":
                self.sock.sendall(b"powering off\r\n")
                self.sock.close()
                return False
            self.sock.sendall(b"echo: " + line + b"\r\n")
        return True


class Machine(dbus.service.Object):
    def __init__(self, bus, manager, name, config):
        self.path = MANAGER_PATH + "/machine/" + escape_path(name)
        super().__init__(bus, self.path)
        self.manager = manager
        self.name = name
        self.config = config
        self.state = "stopped"
        self.autostart = False

    def properties(self):
        try:
            doc = json.loads(self.config)
        except ValueError:
            doc = {}
        running = self.state in ("running", "paused")
        return {
            "Name": dbus.String(self.name),
            "UUID": dbus.String(doc.get("uuid", "")),
            "State": dbus.String(self.state),
            "VCPUs": dbus.UInt32(doc.get("vcpu", {}).get("num", 1)),
            "MemoryMiB": dbus.UInt64(doc.get("memory", {}).get("size_mib", 256)),
            "Kernel": dbus.String(doc.get("kernel", {}).get("path", "")),
            "Autostart": dbus.Boolean(self.autostart),
            "Unit": dbus.String("vmm@%s.service" % self.name),
            "MainPID": dbus.UInt32(4242 if running else 0),
            "StateChangeTimestamp": dbus.UInt64(1_700_000_000_000_000),
            "ConsoleSocket": dbus.String("/run/vmmkit/%s/console" % self.name),
            "ControlSocket": dbus.String("/run/vmmkit/%s/control" % self.name),
        }

    @dbus.service.method(PROPERTIES, in_signature="s", out_signature="a{sv}")
    def GetAll(self, interface):
        self.manager.record("GetAll", [self.name, str(interface)])
        if interface != MACHINE:
            return dbus.Dictionary({}, signature="sv")
        return dbus.Dictionary(self.properties(), signature="sv")

    @dbus.service.method(PROPERTIES, in_signature="ss", out_signature="v")
    def Get(self, interface, prop):
        return self.properties()[str(prop)]


class Manager(dbus.service.Object):
    def __init__(self, bus):
        super().__init__(bus, MANAGER_PATH)
        self.bus = bus
        self.machines = {}
        self.calls = []
        self.failures = {}
        self.consoles = []
        self.console_sockets = {}  # machine name -> path of a real vmm console socket

    def record(self, member, args):
        self.calls.append([member, args])
        if member in self.failures:
            name, message = self.failures.pop(member)
            raise dbus.exceptions.DBusException(message, name=name)

    def machine(self, name):
        if str(name) not in self.machines:
            raise error("NoSuchMachine", "No machine '%s' known" % name)
        return self.machines[str(name)]

    def add(self, name, config, state="stopped"):
        m = Machine(self.bus, self, name, config)
        m.state = state
        self.machines[name] = m
        return m

    def reset(self):
        for m in self.machines.values():
            m.remove_from_connection()
        self.machines = {}
        self.calls = []
        self.failures = {}
        self.console_sockets = {}

    @dbus.service.method(MANAGER, in_signature="", out_signature="a(ssutso)")
    def ListMachines(self):
        self.record("ListMachines", [])
        rows = []
        for m in self.machines.values():
            p = m.properties()
            rows.append((m.name, m.state, p["VCPUs"], p["MemoryMiB"], p["Unit"], dbus.ObjectPath(m.path)))
        return dbus.Array(rows, signature="(ssutso)")

    @dbus.service.method(MANAGER, in_signature="s", out_signature="o")
    def GetMachine(self, name):
        self.record("GetMachine", [str(name)])
        return dbus.ObjectPath(self.machine(name).path)

    @dbus.service.method(MANAGER, in_signature="ss", out_signature="o")
    def CreateMachine(self, name, config):
        self.record("CreateMachine", [str(name), str(config)])
        if str(name) in self.machines:
            raise error("MachineExists", "Machine '%s' already exists" % name)
        try:
            json.loads(str(config))
        except ValueError as e:
            raise error("InvalidConfig", "config: %s" % e)
        return dbus.ObjectPath(self.add(str(name), str(config)).path)

    def transition(self, member, name, allowed, new_state, extra=()):
        self.record(member, [str(name)] + list(extra))
        m = self.machine(name)
        if m.state not in allowed:
            raise error("InvalidState", "Machine '%s' is %s" % (name, m.state))
        m.state = new_state

    @dbus.service.method(MANAGER, in_signature="s", out_signature="")
    def StartMachine(self, name):
        self.transition("StartMachine", name, ("stopped", "failed"), "running")

    @dbus.service.method(MANAGER, in_signature="su", out_signature="")
    def StopMachine(self, name, timeout):
        self.transition("StopMachine", name, ("running", "paused"), "stopped", [int(timeout)])

    @dbus.service.method(MANAGER, in_signature="s", out_signature="")
    def KillMachine(self, name):
        self.transition("KillMachine", name, ("running", "paused", "starting", "stopping"), "stopped")

    @dbus.service.method(MANAGER, in_signature="s", out_signature="")
    def RebootMachine(self, name):
        self.transition("RebootMachine", name, ("running",), "running")

    @dbus.service.method(MANAGER, in_signature="s", out_signature="")
    def PauseMachine(self, name):
        self.transition("PauseMachine", name, ("running",), "paused")

    @dbus.service.method(MANAGER, in_signature="s", out_signature="")
    def ResumeMachine(self, name):
        self.transition("ResumeMachine", name, ("paused",), "running")

    @dbus.service.method(MANAGER, in_signature="s", out_signature="")
    def UndefineMachine(self, name):
        self.record("UndefineMachine", [str(name)])
        m = self.machine(name)
        if m.state != "stopped":
            raise error("InvalidState", "Machine '%s' is %s" % (name, m.state))
        m.remove_from_connection()
        del self.machines[str(name)]

    @dbus.service.method(MANAGER, in_signature="sb", out_signature="")
    def SetMachineAutostart(self, name, enable):
        self.record("SetMachineAutostart", [str(name), bool(enable)])
        self.machine(name).autostart = bool(enable)

    @dbus.service.method(MANAGER, in_signature="s", out_signature="s")
    def GetMachineConfig(self, name):
        self.record("GetMachineConfig", [str(name)])
        return self.machine(name).config

    @dbus.service.method(MANAGER, in_signature="ss", out_signature="")
    def ReplaceMachineConfig(self, name, config):
        self.record("ReplaceMachineConfig", [str(name), str(config)])
        m = self.machine(name)
        try:
            json.loads(str(config))
        except ValueError as e:
            raise error("InvalidConfig", "config: %s" % e)
        m.config = str(config)

    @dbus.service.method(MANAGER, in_signature="s", out_signature="h")
    def OpenMachineConsole(self, name):
        self.record("OpenMachineConsole", [str(name)])
        self.machine(name)
        if str(name) in self.console_sockets:
            # A real vmm's console socket, handed over as vmmd does.
            real = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            real.connect(self.console_sockets[str(name)])
            fd = dbus.types.UnixFd(real.fileno())
            real.close()
            return fd
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.consoles.append(ConsolePeer(ours))
        fd = dbus.types.UnixFd(theirs.fileno())
        theirs.close()
        return fd

    @dbus.service.method(PROPERTIES, in_signature="ss", out_signature="v")
    def Get(self, interface, prop):
        if interface == MANAGER and prop == "Version":
            return dbus.String("0.1.0-fake", variant_level=1)
        raise dbus.exceptions.DBusException("no such property", name="org.freedesktop.DBus.Error.UnknownProperty")


class Control(dbus.service.Object):
    def __init__(self, bus, manager):
        super().__init__(bus, "/org/vmmkit/test")
        self.manager = manager

    @dbus.service.method("org.vmmkit.test.Control", in_signature="", out_signature="s")
    def Calls(self):
        return json.dumps(self.manager.calls)

    @dbus.service.method("org.vmmkit.test.Control", in_signature="", out_signature="")
    def Reset(self):
        self.manager.reset()

    @dbus.service.method("org.vmmkit.test.Control", in_signature="sss", out_signature="")
    def FailNext(self, member, error_name, message):
        self.manager.failures[str(member)] = (str(error_name), str(message))

    @dbus.service.method("org.vmmkit.test.Control", in_signature="ss", out_signature="")
    def SetConsoleSocket(self, name, path):
        self.manager.console_sockets[str(name)] = str(path)

    @dbus.service.method("org.vmmkit.test.Control", in_signature="sss", out_signature="")
    def AddMachine(self, name, config, state):
        self.manager.add(str(name), str(config), str(state))


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.SystemBus()
    manager = Manager(bus)
    Control(bus, manager)
    name = dbus.service.BusName(SERVICE, bus)  # noqa: F841 (kept alive)
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    sys.exit(main())
