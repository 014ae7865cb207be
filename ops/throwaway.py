"""Servers of the soak's own: a PostgreSQL and a Redis in /tmp on free ports, never the shared ones.

Each can be crashed, started again, and (PostgreSQL) frozen for a while, disturbing no one else.
As root, PostgreSQL runs as the ``postgres`` account (initdb refuses root).
"""

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PLACE_PREFIX = "压力测试 "  # the soak's reports say where they come from


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin():
    """The newest server binaries on the machine (initdb refuses to run from the client package)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(re.search(r"/(\d+)/", p).group(1)))
    configured = os.environ.get("PG_BIN")
    if configured:
        return Path(configured)
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql).")
    return Path(found[-1]).parent


def _children(pid):
    """Every process whose parent is ``pid`` (read from /proc: no extra package)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                # the command name may hold spaces: the fields after its closing parenthesis are fixed
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return found


class ThrowawayPostgres:
    """Its own data directory in /tmp and its own port: restarting it disturbs no one."""

    def __init__(self, database="soak"):
        self.bin = postgres_bin()
        self.database = database
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="soak-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_user = []
        if os.geteuid() == 0:
            import pwd

            account = pwd.getpwnam("postgres")
            os.chown(self.dir, account.pw_uid, account.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args):
        subprocess.run([*self.as_user, *map(str, args)], check=True, capture_output=True, text=True)

    def create(self):
        self._run(self.bin / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale")
        self.start()
        self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", self.database)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        self._run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode="immediate"):
        """``immediate`` is a crash: no checkpoint, the server recovers from its log on start."""
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def processes(self):
        """The server and every process it started (one per connection, and its helpers)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *_children(postmaster)]

    def freeze(self, seconds):
        """A slow database, not a dead one: every server process stops for ``seconds`` (SIGSTOP),
        then goes on (SIGCONT). Connections stay open; queries simply take that much longer."""
        frozen = self.processes()
        for pid in frozen:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
        try:
            time.sleep(seconds)
        finally:
            for pid in frozen:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

    def stored_codes(self, codes):
        """The given codes the database holds, and how many of the soak's reports it holds in all."""
        import psycopg2

        db = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=self.database)
        try:
            with db.cursor() as cursor:
                cursor.execute("SELECT code FROM feedback_case WHERE code = ANY(%s)", (list(codes),))
                found = [row[0] for row in cursor.fetchall()]
                cursor.execute("SELECT count(*) FROM feedback_case WHERE place LIKE %s", (PLACE_PREFIX + "%",))
                return found, cursor.fetchone()[0]
        finally:
            db.close()

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError, ValueError):
            for pid in self.processes():  # a frozen server cannot stop
                os.kill(pid, signal.SIGCONT)
        with contextlib.suppress(subprocess.CalledProcessError):  # already down
            self.stop("fast")
        shutil.rmtree(self.dir, ignore_errors=True)


class ThrowawayRedis:
    """A redis-server of its own (no persistence) on a free port; ``crash`` kills it outright."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server not found (apt-get install redis-server).")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="soak-redis-"))
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, wait_seconds=10):
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.dir), "--logfile", str(self.dir / "redis.log")]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port} within {wait_seconds} s.")

    def crash(self):
        """SIGKILL: every key is gone, as after a crash of a Redis without persistence."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def destroy(self):
        self.crash()
        shutil.rmtree(self.dir, ignore_errors=True)
