#!/usr/bin/python3
# App start to the first rows shown, with 100,000 contacts, under Xvfb.
# Run inside build-aux/test-session (make bench-startup does):
#   bench/bench-startup.py BUILDDIR [N]
# The app, started with XIAOHE_CRM_STARTUP_PROBE=1, prints the monotonic
# time of its first painted frame; this script notes the time just before
# it starts the process. Best and median of 7 starts.
#
# Copyright 2026 Xiaohe CRM developers
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_MS = 500.0


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "_build"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
    app = os.path.join(build, "src", "ui", "xiaohe-crm")
    data_dir = tempfile.mkdtemp(prefix="xiaohe-crm-startup-")
    try:
        subprocess.run([os.path.join(build, "bench", "bench-contacts"), "fill", data_dir, str(n)],
                       check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, XIAOHE_CRM_STARTUP_PROBE="1", LANGUAGE="en",
                   GSETTINGS_SCHEMA_DIR=os.path.join(build, "data"))
        # a first start accepts the terms, by keys, as a person does once
        proc = subprocess.Popen([app, "--data-dir", data_dir], env=env,
                                stdout=subprocess.PIPE, text=True)
        window = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name",
                                 "^Terms of Service$"], check=True, capture_output=True,
                                text=True).stdout.split()[0]
        subprocess.run(["xdotool", "windowfocus", "--sync", window], check=True)
        subprocess.run(["xdotool", "key", "--delay", "40", "alt+r", "alt+a"], check=True)
        assert proc.stdout.readline().startswith("first-frame")
        proc.terminate()
        proc.wait(timeout=30)
        times = []
        for _ in range(7):
            start = time.monotonic_ns() // 1000
            proc = subprocess.Popen([app, "--data-dir", data_dir], env=env,
                                    stdout=subprocess.PIPE, text=True)
            line = proc.stdout.readline().split()
            proc.terminate()
            proc.wait(timeout=30)
            assert line and line[0] == "first-frame", line
            assert int(line[3]) == n, line
            times.append((int(line[1]) - start) / 1000.0)
        best, median = min(times), statistics.median(times)
        print("app start to first rows shown, %d contacts: best %.0f ms, median %.0f ms "
              "(target: <= %.0f ms) %s" % (n, best, median, TARGET_MS,
                                           "PASS" if median <= TARGET_MS else "MISS"))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
