# A tiny desktop notification server on the test session's bus: it owns
# org.freedesktop.Notifications (GLib's GNotification falls back to it when
# nobody owns org.gtk.Notifications), answers Notify and writes each call as
# a line of JSON to a file; Invoke (on its own interface) emits
# ActionInvoked as a click on a notification's button does.
#
#   /usr/bin/python3 notification_server.py LOG_FILE
#
# It writes {"ready": true} once the name is its own, then serves until
# killed.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import sys

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
    <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
    <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  </interface>
  <interface name="co.xiaohe.Crm.TestNotifications">
    <method name="Invoke"><arg type="u" direction="in"/><arg type="s" direction="in"/></method>
  </interface>
</node>
"""
PATH = "/org/freedesktop/Notifications"
NAME = "org.freedesktop.Notifications"


def main():
    log = open(sys.argv[1], "a", buffering=1)
    counter = [0]

    def record(entry):
        log.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def on_call(connection, sender, path, interface, method, params, invocation):
        args = params.unpack()
        if method == "Notify":
            counter[0] += 1
            app_name, replaces, icon, summary, body, actions, hints, timeout = args
            record({"method": "Notify", "id": counter[0], "app_name": app_name,
                    "summary": summary, "body": body, "actions": actions,
                    "urgency": hints.get("urgency")})
            invocation.return_value(GLib.Variant("(u)", (counter[0],)))
        elif method == "CloseNotification":
            record({"method": "CloseNotification", "id": args[0]})
            invocation.return_value(None)
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body"],)))
        elif method == "GetServerInformation":
            invocation.return_value(GLib.Variant("(ssss)", ("test", "xiaohe", "1", "1.2")))
        elif method == "Invoke":
            connection.emit_signal(None, PATH, NAME, "ActionInvoked",
                                   GLib.Variant("(us)", args))
            invocation.return_value(None)

    def on_bus(connection, name):
        node = Gio.DBusNodeInfo.new_for_xml(XML)
        for interface in node.interfaces:
            connection.register_object(PATH, interface, on_call, None, None)

    def on_name(connection, name):
        record({"ready": True})

    def on_lost(connection, name):
        record({"lost": True})
        sys.exit(1)

    Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.NONE,
                     on_bus, on_name, on_lost)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
