# Helpers shared by the end-to-end tests: waiting with a deadline, xdotool,
# reading the app's SQLite file.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import time

SKIP = 77


def log(*args):
    print("#", *args, flush=True)


def wait_for(what, condition, timeout=20.0):
    """Polls condition until it returns something true, or fails the test
    at the deadline. Never a fixed sleep."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def xdotool_ready():
    """Whether there is an X display and xdotool to drive it; says why not."""
    if not os.environ.get("DISPLAY") or not shutil.which("xdotool"):
        log("no X display or xdotool: run inside build-aux/test-session")
        return False
    return True


def new_work_dir(prefix):
    """A new temporary folder, for shutil.rmtree() at the end: (the folder,
    the app's data folder in it, not made yet, and its database's path)."""
    work = tempfile.mkdtemp(prefix=prefix)
    data_dir = os.path.join(work, "data")
    return work, data_dir, os.path.join(data_dir, "xiaohe-crm.sqlite3")


def xdotool(*args):
    return subprocess.run(["xdotool", *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def start_app(args, env, **kwargs):
    """Starts the app and waits until it shows a window. Under meson, about
    one start in eight of a fresh Xvfb session has GTK fail at once with
    "cannot open display" while the display is alive (xdpyinfo works just
    after; not reproduced outside meson). Such a start, one that exits
    before showing anything, is retried twice; any other failure stands."""
    for attempt in range(3):
        proc = subprocess.Popen(args, env=env, **kwargs)
        deadline = time.monotonic() + 20.0
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            shown = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid",
                                    str(proc.pid)], capture_output=True, text=True).stdout
            if shown.split():
                return proc
            time.sleep(0.05)
        else:
            return proc     # no window yet: the test's own waits will tell
        log("the app exited before showing a window (status %d): starting it again"
            % proc.returncode)
    raise AssertionError("the app exits at start")


def visible(title):
    """The ids of the shown windows titled title (an empty list if none)."""
    return subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^%s$" % title],
                          capture_output=True, text=True).stdout.split()


def find_window(title):
    return wait_for("the window “%s”" % title, lambda: visible(title))[0]


def focus_window(title):
    """The window titled title, once shown, given the keyboard focus (there is
    no window manager to give it to a new window)."""
    window = find_window(title)
    xdotool("windowfocus", "--sync", window)
    return window


def wait_closed(title):
    wait_for("the window “%s” to close" % title, lambda: not visible(title))


def open_app(data_dir, language="en", first_start=True):
    """The app on a new data folder: the terms accepted by keys, the main
    window focused. Returns the process and the window. first_start=False
    starts it again on a folder where the terms were accepted."""
    env = dict(os.environ, LANGUAGE=language, LC_ALL="C.UTF-8")
    app = start_app([os.environ.get("XIAOHE_CRM", "xiaohe-crm"), "--data-dir", data_dir],
                    env=env)
    try:
        if first_start:
            accept_terms(language)
        return app, focus_window(MAIN_TITLE[language])
    except BaseException:
        stop_app(app)
        raise


def start_app_a11y(data_dir, language="en"):
    """The app on data_dir with its accessibility tree on the bus (GTK_A11Y
    unset), nothing answered: for a test that reads the first thing it
    shows. Returns the process."""
    env = dict(os.environ, LANGUAGE=language, LC_ALL="C.UTF-8")
    env.pop("GTK_A11Y", None)
    return start_app([os.environ.get("XIAOHE_CRM", "xiaohe-crm"), "--data-dir", data_dir],
                     env=env)


def add_contact_by_keys(name):
    """A new contact (Ctrl+N) named name, saved (Ctrl+Return), its form
    closed (Escape); the caller waits for it in the database."""
    xdotool("key", "ctrl+n")
    xdotool("type", "--delay", "20", name)
    xdotool("key", "ctrl+Return", "Escape")


@contextlib.contextmanager
def app_running(data_dir, language="en", first_start=True):
    """open_app() for a with block, which gets (app, window); the app is
    killed at the block's end if it still runs."""
    app, window = open_app(data_dir, language, first_start)
    try:
        yield app, window
    finally:
        stop_app(app)


def wait_exit(app):
    """Waits for the app to quit (it was asked to), and checks it exited
    with status 0."""
    code = wait_for("the app to quit", lambda: app.poll() is not None and (app.returncode,))
    assert code == (0,), "exit status %r" % (code,)


def stop_app(app):
    """Kills the app if it still runs (a test that failed half-way)."""
    if app.poll() is None:
        app.kill()
        app.wait()


def query(db_path, sql):
    """Rows of sql from the app's database, read-only; [] until it exists."""
    if not os.path.exists(db_path):
        return []
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True, timeout=5)
    try:
        return con.execute(sql).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


TERMS_TITLE = {"en": "Terms of Service", "zh_CN": "服务条款"}
MAIN_TITLE = {"en": "Xiaohe CRM", "zh_CN": "小禾CRM"}


def accept_terms(language="en"):
    """On a first start the terms come first: tick "I have read and agree"
    and press Agree, by their mnemonics, as a person would."""
    window = find_window(TERMS_TITLE[language])
    xdotool("windowfocus", "--sync", window)
    xdotool("key", "--delay", "40", "alt+r", "alt+a")
    return window


def keys(*names):
    xdotool("key", "--clearmodifiers", "--delay", "40", *names)


def type_text(text):
    """Types text by real key events. ASCII goes in one xdotool call. Each
    other character (Chinese, ¥) is typed alone and read back from the
    focused field over AT-SPI before the next: xdotool maps such a character
    to a spare keycode only for the moment of its key press and unmaps it
    at once, and an app that reads the press after the unmapping gets no
    character (张三丰 arriving as 张丰 on a loaded machine). Binding the
    characters ahead (bind_keysyms) does not hold in every X server. A
    character that did not arrive within its deadline is typed again; one
    that arrived twice is a failure, never papered over."""
    run = ""
    for char in text:
        if ord(char) < 128:
            run += char
            continue
        if run:
            xdotool("type", "--delay", "40", run)
            run = ""
        _type_checked(char)
    if run:
        xdotool("type", "--delay", "40", run)


def enter_path(path, select_all=False):
    """Types path into a file chooser's name or location entry (after
    Ctrl+L, or Ctrl+A over a save chooser's proposed name) and presses
    Return once the entry shows all of it: GTK's chooser completes each
    keystroke and, still busy with the last ones, lets a Return that comes
    right after the typing go by (the chooser stays open)."""
    if select_all:
        xdotool("key", "ctrl+a")
    xdotool("type", "--delay", "15", path)
    if focused_text() is not None:
        wait_for("the path in the chooser's entry", lambda: focused_text() == path)
    xdotool("key", "Return")


def focused_text(app_name="xiaohe-crm"):
    """The text of the app's focused text field over AT-SPI, or None when
    none is focused or the tree cannot be read."""
    try:
        from dogtail.config import config
        config.checkForA11y = False
    except ImportError:
        return None
    node = tree_node(lambda x: x.roleName == "text" and x.focused, app_name)
    if node is None:
        return None
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount)
    except Exception:
        return None


def _type_checked(char, tries=3):
    before = focused_text()
    if before is None:
        # nothing to read back (no AT-SPI, or not a text field): as before
        xdotool("type", "--delay", "40", char)
        return
    for attempt in range(tries):
        xdotool("type", "--delay", "40", char)
        end = time.monotonic() + 2.0
        while time.monotonic() < end:
            now = focused_text()
            if now is not None and now != before and char in now:
                assert now.count(char) <= before.count(char) + 1, \
                    "%r typed once arrived twice: %r" % (char, now)
                return
            time.sleep(0.02)
        log("%r did not arrive (try %d); typing it again" % (char, attempt + 1))
    raise AssertionError("%r never arrived in the focused field" % char)


def bind_keysyms(text):
    """Give every non-ASCII character of text a keycode of its own before the
    app starts. Otherwise xdotool remaps one spare keycode per character while
    typing, and an app still busy with the previous key can read the next
    mapping (张三丰 arriving as 三丰丰).
    The keycodes an earlier test of the same X session bound (kept in a file
    named after the display) are taken back, so that the session's few spare
    keycodes do not run out, whatever the order of the tests."""
    chars = sorted({c for c in text if ord(c) > 127})
    state = os.path.join(tempfile.gettempdir(), "xiaohe-crm-e2e-keycodes-%s"
                         % re.sub(r"[^0-9A-Za-z]", "_", os.environ.get("DISPLAY", "")))
    try:
        with open(state) as f:
            ours = [int(k) for k in f.read().split()]
    except (OSError, ValueError):
        ours = []
    out = subprocess.run(["xmodmap", "-pke"], check=True, capture_output=True,
                         text=True).stdout
    free = [int(line.split()[1]) for line in out.splitlines()
            if line.startswith("keycode") and line.strip().endswith("=")]
    free = ours + [k for k in free if k >= 100 and k not in ours]
    assert len(free) >= len(chars), "not enough free keycodes"
    used = free[:len(chars)]
    with open(state, "w") as f:
        f.write(" ".join(str(k) for k in sorted(set(ours + used))))
    expr = "\n".join("keycode %d = U%04X" % (k, ord(c)) for k, c in zip(used, chars))
    subprocess.run(["xmodmap", "-"], input=expr, text=True, check=True)


def accessible_names(app_name="xiaohe-crm"):
    """The names of every labelled node of the app's accessible tree (AT-SPI,
    as a screen reader sees them); None when dogtail is missing."""
    try:
        from dogtail.config import config
        config.checkForA11y = False
        from dogtail.tree import root
    except ImportError:
        return None
    try:
        app = root.application(app_name)
        return [n.name for n in app.findChildren(lambda x: bool(x.name), recursive=True)]
    except Exception:
        return []


def accessible_extents(name, app_name="xiaohe-crm"):
    """Screen position and size (x, y, width, height) of the first node of
    the app's accessible tree named name; None when not found or dogtail is
    missing."""
    try:
        from dogtail.config import config
        config.checkForA11y = False
        from dogtail.tree import root
        app = root.application(app_name)
        node = app.findChild(lambda x: x.name == name, retry=False, requireResult=False)
        if node is None:
            return None
        (x, y), (w, h) = node.position, node.size
        return (x, y, w, h) if w > 0 and h > 0 else None
    except Exception:
        return None


def drag(start, end, steps=20):
    """A mouse drag from start to end (screen points), paced as a hand moves
    (25 ms between events, in one xdotool chain): press, move, release."""
    chain = ["mousemove", str(start[0]), str(start[1]), "sleep", "0.1", "mousedown", "1",
             "sleep", "0.1"]
    for i in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * i // steps
        y = start[1] + (end[1] - start[1]) * i // steps
        chain += ["mousemove", str(x), str(y), "sleep", "0.025"]
    chain += ["sleep", "0.1", "mouseup", "1"]
    xdotool(*chain)


def entry_text(name, app_name="xiaohe-crm"):
    """The text of the app's entry whose accessible name is name, read over
    AT-SPI; None when there is no such entry or dogtail is missing."""
    try:
        from dogtail.config import config
        config.checkForA11y = False
        from dogtail.tree import root
        app = root.application(app_name)
        node = app.findChild(lambda x: x.roleName == "text" and x.name == name,
                             retry=False, requireResult=False)
        if node is None:
            return None
        text = node.queryText()
        return text.getText(0, text.characterCount)
    except Exception:
        return None


def click(name, role="push button", app_name="xiaohe-crm"):
    """Clicks the app's first button named name (its accessible action, as a
    pointer click would); False when there is none."""
    from dogtail.config import config
    config.checkForA11y = False
    from dogtail.tree import root
    app = root.application(app_name)
    node = app.findChild(lambda x: x.roleName == role and x.name == name,
                         retry=False, requireResult=False)
    if node is None:
        return False
    node.doActionNamed("click")
    return True


def dogtail_ready():
    """Whether the session has what a test that reads the accessibility tree
    needs (a display, a session bus, python3-dogtail, set to read every
    node); says why not."""
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        log("no display or session bus: run inside build-aux/test-session")
        return False
    try:
        from dogtail.config import config
        config.checkForA11y = False
        config.searchShowingOnly = False
        import dogtail.tree  # noqa: F401
    except ImportError:
        log("python3-dogtail is not installed")
        return False
    return True


def tree_node(predicate, app_name="xiaohe-crm"):
    """The first node of the app's AT-SPI tree that predicate accepts, or None."""
    from dogtail.tree import root
    try:
        app = root.application(app_name)
        return app.findChild(predicate, retry=False, requireResult=False)
    except Exception:
        return None


def quit_app(app):
    """Ctrl+Q, then waits for the app to quit."""
    xdotool("key", "ctrl+q")
    wait_for("the app to quit", lambda: app.poll() is not None)


def utc_text(when):
    """A datetime (aware) as the store writes times: 2026-11-29T08:30:00Z."""
    import datetime
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_followup(db_path, contact_id, next_step, next_at):
    """A follow-up of yesterday with an open next step due at next_at (an
    aware datetime), written straight into the app's file (its triggers
    run), as a pulled change would arrive; returns its id."""
    import datetime
    import uuid
    now = datetime.datetime.now(datetime.timezone.utc)
    fid = str(uuid.uuid4())
    con = sqlite3.connect(db_path, timeout=5)
    try:
        with con:
            con.execute("INSERT INTO followups (id, contact_id, happened_at, kind, notes, "
                        "next_step, next_at, created_at, updated_at) "
                        "VALUES (?, ?, ?, 'call', 'Talked', ?, ?, ?, ?)",
                        (fid, contact_id, utc_text(now - datetime.timedelta(days=1)),
                         next_step, utc_text(next_at), utc_text(now), utc_text(now)))
    finally:
        con.close()
    return fid


def terms_versions(db_path):
    """The versions of the terms accepted in the app's file, oldest first."""
    return [r[0] for r in query(db_path, "SELECT version FROM terms_acceptance ORDER BY rowid")]


def first_use(app, db_path, contact, language="en"):
    """The first run of the started app on a new data folder, by keys: the
    terms accepted, a contact typed, the app quit (status 0). Returns the
    versions of the terms accepted."""
    accept_terms(language)
    focus_window(MAIN_TITLE[language])
    add_contact_by_keys(contact)
    wait_for("the contact saved",
             lambda: query(db_path, "SELECT 1 FROM contacts WHERE name = '%s'" % contact))
    xdotool("key", "ctrl+q")
    wait_exit(app)
    return terms_versions(db_path)
