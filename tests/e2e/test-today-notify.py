#!/usr/bin/python3
# Reminders as the desktop sees them: a follow-up whose next step came due
# while the app was not running is notified at its start, over the session
# bus, to a real D-Bus name this test owns (notification_server.py, as
# org.freedesktop.Notifications); with the window closed the app keeps
# running (reminders on), and the notification's click opens the window on
# the contact; a button "Snooze 1 Hour" (clicked with no window open)
# writes snoozed_until into the SQLite file; a step marked done in Today has
# its notification withdrawn; Ctrl+Q really quits. Then with
# five more missed, the six due at the next start come as one notification.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crmtest  # noqa: E402
from crmtest import keys, log, wait_for  # noqa: E402

NAME = "Zhao Lei"


def notifications(log_path):
    try:
        with open(log_path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []


def notified(log_path, summary):
    return [n for n in notifications(log_path)
            if n.get("method") == "Notify" and n.get("summary") == summary]


def focused_row():
    """The name of Today's focused row, "" when none has the focus."""
    node = crmtest.tree_node(lambda n: n.roleName == "list item" and n.focused
                             and n.name.startswith(NAME + ":"))
    return node.name if node is not None else ""


def invoke(notification_id, action):
    """The server emits ActionInvoked, as a click on the notification would."""
    subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications",
                    "--object-path", "/org/freedesktop/Notifications", "--method",
                    "co.xiaohe.Crm.TestNotifications.Invoke", str(notification_id), action],
                   check=True, capture_output=True)


def main():
    if not crmtest.xdotool_ready() or not crmtest.dogtail_ready():
        return crmtest.SKIP
    if not shutil.which("gdbus"):
        log("gdbus is missing")
        return crmtest.SKIP
    work, data_dir, db_path = crmtest.new_work_dir("xiaohe-crm-today-notify-")
    log_path = os.path.join(work, "notifications.jsonl")
    server = None
    app = None
    try:
        # a first start: the terms, one contact, quit
        with crmtest.app_running(data_dir) as (app, window):
            crmtest.add_contact_by_keys(NAME)
            wait_for("the contact in the file",
                     lambda: crmtest.query(db_path, "SELECT id FROM contacts WHERE name = '%s'"
                                           % NAME))
            crmtest.quit_app(app)
            crmtest.wait_exit(app)
        contact_id = crmtest.query(db_path, "SELECT id FROM contacts")[0][0]
        now = datetime.datetime.now(datetime.timezone.utc)
        fid = crmtest.add_followup(db_path, contact_id, "Send the contract",
                                   now - datetime.timedelta(minutes=10))
        later_fid = crmtest.add_followup(db_path, contact_id, "Book the visit",
                                         now - datetime.timedelta(minutes=5))
        crmtest.add_followup(db_path, contact_id, "Ask for referrals",
                             now - datetime.timedelta(minutes=3))

        server = subprocess.Popen(["/usr/bin/python3",
                                   os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                "notification_server.py"), log_path])
        wait_for("the notification server",
                 lambda: any(n.get("ready") for n in notifications(log_path)))

        app, window = crmtest.open_app(data_dir, first_start=False)
        sent = wait_for("the missed reminders' notifications",
                        lambda: len(notified(log_path, NAME)) == 3 and notified(log_path, NAME))
        log("notified:", sent)
        note = next(n for n in sent if n["body"] == "Send the contract")
        other = next(n for n in sent if n["body"] == "Book the visit")
        third = next(n for n in sent if n["body"] == "Ask for referrals")
        snooze_action = "app.snooze-followup::%s" % fid
        assert snooze_action in note["actions"], note["actions"]
        assert note["actions"][note["actions"].index(snooze_action) + 1] == "Snooze 1 Hour"
        assert "default" in note["actions"], note["actions"]

        # reminders on: closing the window leaves the app in the background
        assert crmtest.click("Close"), "no close button"
        crmtest.wait_closed(crmtest.MAIN_TITLE["en"])
        assert app.poll() is None, "the app quit with its window"

        # a button, with no window: snoozed an hour, in the file
        invoke(other["id"], "app.snooze-followup::%s" % later_fid)
        row = wait_for("snoozed_until in the file",
                       lambda: crmtest.query(db_path, "SELECT snoozed_until FROM followups "
                                             "WHERE id = '%s' AND snoozed_until IS NOT NULL"
                                             % later_fid))
        until = datetime.datetime.strptime(row[0][0], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        assert datetime.timedelta(minutes=55) < until - now < datetime.timedelta(minutes=75), \
            row
        assert not crmtest.query(db_path, "SELECT 1 FROM followups WHERE id = '%s' AND "
                                 "snoozed_until IS NOT NULL" % fid), "the other one snoozed"

        # the other's click: the window again, on the contact
        invoke(note["id"], "default")
        crmtest.focus_window(crmtest.MAIN_TITLE["en"])
        wait_for("the contact opened", lambda: crmtest.entry_text("Name") == NAME)

        # a step done in Today: its notification leaves the desktop
        keys("ctrl+4")
        for _ in range(3):
            name = wait_for("a step focused", focused_row)
            if name.startswith("%s: Ask for referrals" % NAME):
                break
            keys("Down")
            wait_for("the focus moved", lambda: focused_row() not in ("", name))
        keys("ctrl+d")
        crmtest.focus_window("Done — Next Follow-up")
        crmtest.type_text("Sent two names")
        keys("ctrl+Return")
        wait_for("the done step's notification withdrawn",
                 lambda: any(n.get("method") == "CloseNotification" and n["id"] == third["id"]
                             for n in notifications(log_path)))

        # Quit really quits, reminders or not
        crmtest.focus_window(crmtest.MAIN_TITLE["en"])
        crmtest.quit_app(app)
        crmtest.wait_exit(app)

        # five missed while away: one notification that says how many
        for i in range(5):
            crmtest.add_followup(db_path, contact_id, "Step %d" % i,
                         datetime.datetime.now(datetime.timezone.utc)
                         - datetime.timedelta(minutes=5 - i))
        app, window = crmtest.open_app(data_dir, first_start=False)
        # (with "Send the contract", still open, not snoozed: six)
        summary = wait_for("the summary", lambda: notified(log_path, "6 follow-ups are due"))
        assert "Send the contract" in summary[0]["body"], summary
        assert not any(n["body"] == "Step 4" for n in notified(log_path, NAME)), \
            "each reminder sent as well as the summary"
        assert not any(n["body"] == "Book the visit" for n in notified(log_path, NAME)[2:]), \
            "a snoozed reminder sent again before its time"
        crmtest.quit_app(app)
        crmtest.wait_exit(app)
        return 0
    finally:
        if app is not None:
            crmtest.stop_app(app)
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
