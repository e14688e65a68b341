#!/usr/bin/python3
# End to end: logging a follow-up (跟进记录) by keys only, in the real
# xiaohe-crm under the test session's X display. A contact is added; on its
# page Shift+Ctrl+F opens the form with the cursor in the notes; two lines
# are typed, Alt+V makes it a visit, Alt+S and Alt+U take the next step and
# its due time, Ctrl+Enter saves. The database has it (the due time in UTC
# from the local time typed), the contact's timeline shows it (read over
# AT-SPI, as a screen reader would), and Ctrl+Z while the toast shows takes
# it back. Then bad input: a due date that is no date keeps the form open
# with its message, nothing is stored, and Escape asks before dropping what
# was typed. Last, a deal: on the board Shift+Ctrl+F logs a follow-up of the
# selected deal, and the deal's editor lists it.
#
# Every wait is for a condition, with a deadline; none is a fixed sleep.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import shutil
import sys

from crmtest import (MAIN_TITLE, SKIP, accept_terms, add_contact_by_keys, dogtail_ready,
                     focus_window, keys, log, new_work_dir, query, start_app_a11y, stop_app,
                     tree_node, type_text, visible, wait_closed, wait_for, xdotool,
                     xdotool_ready)

FORM = "Log Follow-up"


def followups(db_path):
    return query(db_path, "SELECT kind, notes, next_step, next_at, deleted FROM followups"
                 " ORDER BY created_at")


def named(text):
    """A node of the app's accessible tree whose name holds text, or None."""
    return tree_node(lambda n: text in (n.name or ""))


def in_window(title, text):
    """A node whose name holds text in the app's window titled title, or None."""
    from dogtail.tree import root
    try:
        app = root.application("xiaohe-crm")
        windows = [app.getChildAtIndex(i) for i in range(app.childCount)]
        window = next((w for w in windows if w is not None and w.name == title), None)
        return window and window.findChild(lambda n: text in (n.name or ""), retry=False,
                                           requireResult=False)
    except Exception:
        return None


def main():
    if not xdotool_ready() or not dogtail_ready():
        return SKIP

    work, data_dir, db_path = new_work_dir("xiaohe-crm-e2e-followup-")
    app = start_app_a11y(data_dir)
    try:
        accept_terms()
        window = focus_window(MAIN_TITLE["en"])
        keys("ctrl+1")
        add_contact_by_keys("Li Lei")
        wait_for("the contact", lambda: query(db_path, "SELECT name FROM contacts")
                 == [("Li Lei",)])
        wait_for("the empty timeline", lambda: named("No follow-ups yet"))

        # the form, the cursor in the notes: two lines, a visit, a next step
        keys("shift+ctrl+f")
        focus_window(FORM)
        type_text("Talked about the price")
        keys("Return")
        type_text("wants a demo")
        keys("alt+v", "alt+s")
        type_text("Send the quote")
        keys("alt+u")
        type_text("2030-01-15 10:30")
        keys("ctrl+Return")
        wait_closed(FORM)

        due = datetime.datetime(2030, 1, 15, 10, 30).astimezone(datetime.timezone.utc)
        expected = [("visit", "Talked about the price\nwants a demo", "Send the quote",
                     due.strftime("%Y-%m-%dT%H:%M:%SZ"), 0)]
        rows = wait_for("the follow-up stored", lambda: followups(db_path))
        log("stored", rows)
        assert rows == expected, rows

        # the contact's timeline shows it, with its next step
        row = wait_for("the follow-up in the timeline", lambda: named("Talked about the price"))
        log("timeline row", row.name)
        assert "Visit" in row.name and "Next: Send the quote" in row.name, row.name
        wait_for("the Undo toast", lambda: named("Follow-up logged"))

        # Ctrl+Z while the toast shows takes it back
        xdotool("windowfocus", "--sync", window)
        keys("ctrl+z")
        wait_for("the follow-up taken back", lambda: followups(db_path)[0][4] == 1)
        wait_for("the timeline empty again", lambda: named("No follow-ups yet"))
        assert named("Talked about the price") is None

        # a due date that is no date: the form stays, says why, stores nothing
        keys("shift+ctrl+f")
        focus_window(FORM)
        type_text("Second call")
        keys("alt+s")
        type_text("Call again")
        keys("alt+u")
        type_text("2030-13-45")
        keys("ctrl+Return")
        wait_for("the message about the date", lambda: named("Type a date and time like"))
        assert visible(FORM), "the form closed on a bad date"
        assert len(followups(db_path)) == 1, followups(db_path)

        # Escape asks before dropping what was typed; Discard drops it
        keys("Escape")
        focus_window(r"Discard the Changes\?")   # a pattern: the ? escaped
        keys("alt+d")
        wait_closed(FORM)
        assert len(followups(db_path)) == 1, followups(db_path)

        # a deal of the contact (Alt+L on its page); on the board, Shift+Ctrl+F
        # logs a follow-up of the selected deal, which its editor then lists
        xdotool("windowfocus", "--sync", window)
        keys("alt+l")
        focus_window("New Deal")
        type_text("ERP upgrade")
        keys("ctrl+Return")
        wait_closed("New Deal")
        deal_id = wait_for("the deal", lambda: query(db_path, "SELECT id FROM deals"))[0][0]
        xdotool("windowfocus", "--sync", window)
        keys("ctrl+2", "shift+ctrl+f")
        focus_window(FORM)
        type_text("Demo booked")
        keys("alt+m", "ctrl+Return")
        wait_closed(FORM)
        wait_for("the deal's follow-up", lambda: query(
            db_path, "SELECT deal_id, kind FROM followups WHERE notes = 'Demo booked'")
            == [(deal_id, "meeting")])
        xdotool("windowfocus", "--sync", window)
        keys("Return")
        focus_window("Edit Deal")
        wait_for("the follow-up in the deal's editor",
                 lambda: in_window("Edit Deal", "Demo booked"))
        keys("Escape")
        wait_closed("Edit Deal")

        xdotool("windowfocus", "--sync", window)
        keys("ctrl+q")
        code = wait_for("the app to quit", lambda: app.poll() is not None and (app.returncode,))
        assert code == (0,), "exit status %r" % (code,)
    finally:
        stop_app(app)

    shutil.rmtree(work)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
