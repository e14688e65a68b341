#!/usr/bin/python3
# Today by keys: a follow-up logged by keys with a next step due today (the
# form, Shift+Ctrl+F) shows in Today (Ctrl+4, read over AT-SPI) beside one
# due next week; Ctrl+D asks for the outcome (the
# follow-up form, completing), Ctrl+Enter stores it: the step leaves the
# list, done_at and the outcome are in the SQLite file; Return on the other
# step opens its contact in the contacts view.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crmtest  # noqa: E402
from crmtest import keys, log, type_text, wait_for  # noqa: E402

NAME = "Sun Mei"
TODAY_STEP = "Call about the quote"
WEEK_STEP = "Visit the workshop"
OUTCOME = "Agreed on the price"


def local_noon(days):
    """Noon of a local day, days from today: its section whatever the hour
    the test runs."""
    today = datetime.datetime.now().astimezone()
    noon = today.replace(hour=12, minute=0, second=0, microsecond=0)
    return noon + datetime.timedelta(days=days)


def row_named(prefix):
    return crmtest.tree_node(lambda n: n.roleName == "list item" and n.name.startswith(prefix))


def main():
    if not crmtest.xdotool_ready() or not crmtest.dogtail_ready():
        return crmtest.SKIP
    work, data_dir, db_path = crmtest.new_work_dir("xiaohe-crm-today-keys-")
    try:
        with crmtest.app_running(data_dir) as (app, window):
            crmtest.add_contact_by_keys(NAME)
            contact = wait_for("the contact in the file",
                               lambda: crmtest.query(db_path, "SELECT id FROM contacts "
                                                     "WHERE name = '%s'" % NAME))
            contact_id = contact[0][0]
            # today's step logged by keys: Shift+Ctrl+F on the contact's page,
            # the notes, Alt+S the next step, Alt+U its local time, Ctrl+Enter
            keys("shift+ctrl+f")
            crmtest.focus_window("Log Follow-up")
            type_text("Asked for a quote")
            keys("alt+s")
            type_text(TODAY_STEP)
            keys("alt+u")
            type_text(local_noon(0).strftime("%Y-%m-%d %H:%M"))
            keys("ctrl+Return")
            crmtest.wait_closed("Log Follow-up")
            today_id = wait_for("today's step in the file",
                                lambda: crmtest.query(db_path, "SELECT id FROM followups "
                                                      "WHERE next_step = '%s'"
                                                      % TODAY_STEP))[0][0]
            crmtest.focus_window(crmtest.MAIN_TITLE["en"])
            crmtest.add_followup(db_path, contact_id, WEEK_STEP, local_noon(3))

            keys("ctrl+4")
            wait_for("today's step in Today", lambda: row_named("%s: %s" % (NAME, TODAY_STEP)))
            wait_for("next week's step in Today",
                     lambda: row_named("%s: %s" % (NAME, WEEK_STEP)))

            # the focus is on the first step, today's: done, with the outcome
            keys("ctrl+d")
            crmtest.focus_window("Done — Next Follow-up")
            type_text(OUTCOME)
            keys("ctrl+Return")
            crmtest.wait_closed("Done — Next Follow-up")
            wait_for("done_at in the file",
                     lambda: crmtest.query(db_path, "SELECT done_at FROM followups WHERE "
                                           "id = '%s' AND done_at IS NOT NULL" % today_id))
            wait_for("the outcome in the file",
                     lambda: crmtest.query(db_path, "SELECT id FROM followups WHERE "
                                           "notes = '%s' AND contact_id = '%s'"
                                           % (OUTCOME, contact_id)))
            wait_for("the done step gone from Today",
                     lambda: row_named("%s: %s" % (NAME, TODAY_STEP)) is None)
            assert row_named("%s: %s" % (NAME, WEEK_STEP)) is not None

            # Return on the other step: its contact, in the contacts view
            crmtest.focus_window(crmtest.MAIN_TITLE["en"])
            wait_for("the focus on the remaining step",
                     lambda: (row_named("%s: %s" % (NAME, WEEK_STEP)) or None)
                     and row_named("%s: %s" % (NAME, WEEK_STEP)).focused)
            keys("Return")
            wait_for("the contact opened", lambda: crmtest.entry_text("Name") == NAME)
            log("done, outcome stored, contact opened")

            # Quit quits, open steps or not
            crmtest.quit_app(app)
            crmtest.wait_exit(app)
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
