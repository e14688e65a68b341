#!/usr/bin/python3
# End to end: notices from a real xiaohe-crm-server reach the real app.
# The app is signed in as a person signs in once (the account beside the
# data, the device token in the session's real gnome-keyring, made here
# through the server's login, since the sign-in dialog has its own test,
# e2e-sync-sign-in), so it syncs as it starts.
#
# The operator's `notice` refuses a pricing change less than a month ahead
# (exit status 1). One two months ahead: after the sync the bar at the
# bottom of the window says its title and the day it takes effect;
# Notices… (main menu, F10 then N) lists it, and reading it marks it seen.
# A terms revision (a new version): after a sync (F5) the terms window shows
# its text over the main window; Agree by keys records that version in the
# file; a restart does not ask again. A second revision declined by keys:
# the app quits with status 0, the data all there.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import datetime
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from crmtest import (SKIP, MAIN_TITLE, TERMS_TITLE, accessible_names, dogtail_ready, entry_text,
                     first_use, focus_window, keys, log, query, start_app, stop_app,
                     terms_versions, visible, wait_exit, wait_for, xdotool, xdotool_ready)

APP = os.environ.get("XIAOHE_CRM", "xiaohe-crm")
SERVER = os.environ.get("XIAOHE_CRM_SERVER")
MENU = "xiaohe-crm"     # the main menu's popover: a window named after the program
PASSWORD = "Zhou-pw-3c9e77a1"
CONTACT = "Qian Pricing"
PRICING = "New prices"
TERMS_1 = ("Terms revision one", "Article 9. Revised terms, first text.", "2027.1")
TERMS_2 = ("Terms revision two", "Article 9. Revised terms, second text.", "2027.2")


class Server:
    """A company "acme" with the user zhou, served on a free loopback port."""

    def __init__(self, work):
        self.dir = os.path.join(work, "server")
        self.work = work
        self.run("init")
        self.run("add-company", "acme", "Acme Trading")
        self.run("add-user", "acme", "zhou", stdin=PASSWORD + "\n")
        self.log_path = os.path.join(work, "server.log")
        self.proc = subprocess.Popen([SERVER, "serve", self.dir, "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=open(self.log_path, "w"),
                                     text=True)
        line, end = "", time.monotonic() + 20
        while "Listening on" not in line:
            assert time.monotonic() < end and self.proc.poll() is None, "no server"
            if select.select([self.proc.stdout], [], [], 0.1)[0]:
                line = self.proc.stdout.readline()
        self.url = line.split("Listening on", 1)[1].strip().rstrip("/")
        log("server at", self.url)

    def run(self, command, *args, stdin=None, check=True):
        done = subprocess.run([SERVER, command, self.dir, *args], input=stdin,
                              capture_output=True, text=True)
        assert not check or done.returncode == 0, (command, done.stderr)
        return done

    def notice(self, kind, title, body, effective, version=None):
        path = os.path.join(self.work, "notice.txt")
        with open(path, "w") as f:
            f.write(body)
        extra = ["--terms-version", version] if version else []
        return self.run("notice", "--kind", kind, "--title", title, "--body-file", path,
                        "--effective", effective.isoformat(), *extra, check=False)

    def notices_fetched(self):
        return open(self.log_path).read().count("GET /v1/notices 200")

    def login(self):
        body = json.dumps({"company": "acme", "user": "zhou", "password": PASSWORD,
                           "device": "e2e"}).encode()
        req = urllib.request.Request(self.url + "/v1/auth/login", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as answer:
            return json.load(answer)["token"]


def sign_in_beforehand(server, data_dir):
    """What signing in leaves: the account beside the data, the token in the
    keyring under the app's schema."""
    with open(os.path.join(data_dir, "team-account.ini"), "w") as f:
        f.write("[Account]\nServer=%s\nCompany=acme\nUser=zhou\n" % server.url)
    subprocess.run(["secret-tool", "store", "--label", "Xiaohe CRM e2e", "xdg:schema",
                    "co.xiaohe.Crm", "server", server.url, "company", "acme", "user", "zhou"],
                   input=server.login(), text=True, check=True)


def start(data_dir):
    env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8", XIAOHE_CRM_SYNC_DELAY="1")
    return start_app([APP, "--data-dir", data_dir], env=env)


def terms_asked(body, readable):
    """The terms window over the main window, with body as its text."""
    window = focus_window(TERMS_TITLE["en"])
    if readable:
        wait_for("the revision's text", lambda: body in (entry_text("Text of the terms") or ""))
    return window


def main():
    if not xdotool_ready() or not SERVER or not shutil.which("secret-tool"):
        log("needs the test session, XIAOHE_CRM_SERVER and secret-tool")
        return SKIP
    readable = dogtail_ready()
    work = tempfile.mkdtemp(prefix="xiaohe-crm-notices-e2e-")
    data_dir = os.path.join(work, "data")
    db = os.path.join(data_dir, "xiaohe-crm.sqlite3")
    server = Server(work)
    apps = []
    try:
        # the app's first start: its terms, a contact
        app = start(data_dir)
        apps.append(app)
        shipped = first_use(app, db, CONTACT)
        sign_in_beforehand(server, data_dir)

        # terms §6.2: a pricing change less than a month ahead is refused
        today = datetime.date.today()
        refused = server.notice("pricing", "Too soon", "Next week.",
                                today + datetime.timedelta(days=7))
        assert refused.returncode == 1, (refused.returncode, refused.stderr)
        effective = today + datetime.timedelta(days=62)
        assert server.notice("pricing", PRICING, "From then on, 30 yuan a month.",
                             effective).returncode == 0

        # the sync at start brings it: the bar says the title and the day
        app = start(data_dir)
        apps.append(app)
        window = focus_window(MAIN_TITLE["en"])
        day = "%s %d, %d" % (effective.strftime("%b"), effective.day, effective.year)
        wait_for("the notice kept", lambda: query(db, "SELECT 1 FROM notices"), timeout=60)
        if readable:
            said = wait_for("the bar", lambda: [n for n in accessible_names() or []
                                                if n.startswith(PRICING)])
            log("the bar says:", said)
            assert day in said[0], (day, said)
        assert not any("Too soon" in n for n in accessible_names() or [])

        # Notices… lists it; read, it is seen
        xdotool("windowfocus", "--sync", window)
        keys("F10")
        wait_for("the main menu", lambda: visible(MENU))
        keys("n")
        focus_window("Notices")
        if readable:
            wait_for("the notice in the list", lambda: "From then on, 30 yuan a month." in
                     (accessible_names() or []))
        assert query(db, "SELECT seen_at FROM notices")[0][0] is not None
        keys("Escape")
        wait_for("the list to close", lambda: not visible("Notices"))
        if readable:
            wait_for("the bar to go", lambda: not [n for n in accessible_names() or []
                                                   if n.startswith(PRICING)])

        # a terms revision: asked over the window after a sync; Agree by keys
        assert server.notice("terms", TERMS_1[0], TERMS_1[1], effective,
                             TERMS_1[2]).returncode == 0
        xdotool("windowfocus", "--sync", window)
        keys("F5")
        terms_asked(TERMS_1[1], readable)
        assert terms_versions(db) == shipped
        keys("alt+r", "alt+a")
        wait_for("the revision accepted", lambda: terms_versions(db) == shipped + [TERMS_1[2]])
        focus_window(MAIN_TITLE["en"])
        keys("ctrl+q")
        wait_exit(app)

        # a restart does not ask again (its sync brings the same notices)
        fetched = server.notices_fetched()
        app = start(data_dir)
        apps.append(app)
        window = focus_window(MAIN_TITLE["en"])
        wait_for("the notices fetched again", lambda: server.notices_fetched() > fetched,
                 timeout=60)
        assert not visible(TERMS_TITLE["en"]), "the accepted revision was asked again"

        # a second revision declined: the app quits, the data stays
        assert server.notice("terms", TERMS_2[0], TERMS_2[1], effective,
                             TERMS_2[2]).returncode == 0
        keys("F5")
        terms_asked(TERMS_2[1], readable)
        keys("alt+d")
        wait_exit(app)
        assert terms_versions(db) == shipped + [TERMS_1[2]]
        assert query(db, "SELECT name FROM contacts") == [(CONTACT,)]
    finally:
        for app in apps:
            stop_app(app)
        server.proc.terminate()
        server.proc.wait()
        subprocess.run(["secret-tool", "clear", "xdg:schema", "co.xiaohe.Crm", "server",
                        server.url])
        shutil.rmtree(work, ignore_errors=True)
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
