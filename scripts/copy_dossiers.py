#!/usr/bin/env python3
"""Copy the dossiers (with their event logs and code sequences) of a motcua PostgreSQL database
into a motcua SQLite database, for benchmarks that need the same large data set on both
backends: generate once through the use cases (`motcua generate dossiers`) on PostgreSQL, copy
to SQLite. Rows keep their ids; values are written in the encodings the SQLite store uses
(UUIDs as 16-byte blobs, instants as RFC 3339 text in UTC, JSON as text).

    scripts/copy_dossiers.py postgres://postgres@127.0.0.1:5432/motcua_1m data/motcua.db

The SQLite database must be migrated (`motcua migrate` or `motcua demo`) and hold no dossier
with the same code. Uses `psql` for reading; needs nothing outside the standard library.
"""
import csv
import datetime
import sqlite3
import subprocess
import sys
import uuid

UTC = datetime.timezone.utc


def instant(micros: str):
    if micros == "":
        return None
    us = int(micros)
    t = datetime.datetime.fromtimestamp(us // 1_000_000, tz=UTC).replace(microsecond=us % 1_000_000)
    if t.microsecond == 0:
        return t.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    if t.microsecond % 1000 == 0:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}+00:00"
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def blob(u: str):
    return None if u == "" else uuid.UUID(u).bytes


def flag(v: str) -> int:
    return 1 if v == "t" else 0


def text(v: str):
    return None if v == "" else v


def rows(pg_url: str, select: str):
    cmd = ["psql", pg_url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", f"\\copy ({select}) TO STDOUT WITH (FORMAT csv, FORCE_QUOTE *)"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, encoding="utf-8") as p:
        yield from csv.reader(p.stdout)
        if p.wait() != 0:
            sys.exit(f"psql failed: {select[:60]}")


def us(col: str) -> str:
    return f"(extract(epoch from {col}) * 1000000)::bigint"


def insert_all(db, sql: str, values, label: str, batch_size: int) -> int:
    """Insert `values` in batches, showing progress; returns the number of rows."""
    n = 0
    batch = []
    for v in values:
        batch.append(v)
        if len(batch) == batch_size:
            db.executemany(sql, batch)
            n += len(batch)
            batch.clear()
            print(f"\r{label} {n}", end="", file=sys.stderr)
    db.executemany(sql, batch)
    n += len(batch)
    print(f"\r{label} {n}", file=sys.stderr)
    return n


def copy(pg_url: str, db_path: str):
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    sql = (
        "INSERT INTO dossier (id, code, agency_code, competent_agency, procedure_code, procedure_number, channel, "
        "applicant, phone_last4, state, workflow, received_at, due_original, due_current, ended_at, calendar_stamp, "
        "revision, form_set, submitted_by, component_files, reused_data, e_result, paid_online, synced_at, vneid) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    select = (
        "SELECT id, code, agency_code, competent_agency, procedure_code, procedure_number, channel, applicant::text, "
        f"phone_last4, state, workflow::text, {us('received_at')}, {us('due_original')}, {us('due_current')}, "
        f"{us('ended_at')}, calendar_stamp, revision, form_set, submitted_by, component_files, reused_data, e_result, "
        f"paid_online, {us('synced_at')}, vneid FROM dossier ORDER BY received_at"
    )
    n = insert_all(db, sql, (
        (blob(r[0]), r[1], r[2], r[3], r[4], int(r[5]), r[6], r[7], text(r[8]), r[9], r[10], instant(r[11]),
         instant(r[12]), instant(r[13]), instant(r[14]), r[15], int(r[16]), r[17], blob(r[18]), int(r[19]),
         flag(r[20]), flag(r[21]), flag(r[22]), instant(r[23]), flag(r[24]))
        for r in rows(pg_url, select)), "dossiers", 20_000)
    db.commit()

    sql = ("INSERT INTO dossier_event (id, dossier_id, agency_code, at, actor, command, from_state, to_state, detail) "
           "VALUES (?,?,?,?,?,?,?,?,?)")
    select = f"SELECT id, dossier_id, agency_code, {us('at')}, actor, command, from_state, to_state, detail::text FROM dossier_event"
    m = insert_all(db, sql, (
        (blob(r[0]), blob(r[1]), r[2], instant(r[3]), r[4], r[5], text(r[6]), r[7], r[8])
        for r in rows(pg_url, select)), "events", 50_000)

    # Later intakes continue the copied sequences.
    seq = "INSERT INTO dossier_sequence (agency_code, day, last) VALUES (?,?,?) " \
          "ON CONFLICT (agency_code, day) DO UPDATE SET last = max(last, excluded.last)"
    db.executemany(seq, ((r[0], r[1], int(r[2])) for r in rows(pg_url, "SELECT agency_code, day::text, last FROM dossier_sequence")))
    db.commit()
    db.close()
    print(f"copied {n} dossiers and {m} events", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    copy(sys.argv[1], sys.argv[2])
