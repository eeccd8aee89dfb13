#!/usr/bin/env bash
# Kamailio doing the records IMS Lab keeps by default, for a like-for-like REGISTER cost: the bench kit's
# configuration (../shared/bench/kamailio) with bindings written through to SQLite (usrloc db_mode 1, as
# IMS Lab persists every binding) and one accounting row per registration (acc_db_request into the acc
# table, as IMS Lab's REGISTER CDR row). The database is in WAL mode, as IMS Lab's. What it still does not
# do: IMS Lab's in-memory trace ring (Kamailio has none; siptrace writes to a database instead).
# One worker by default (CHILDREN=1): db_sqlite sets no busy timeout, so with several worker processes
# writing one SQLite file most writes fail at once with "database is locked" (500 to the REGISTER).
#
#   tests/bench/kamailio-records.sh start USERS_JSON   prints the main PID (KAM_DIR: /tmp/kam-bench-records)
#   tests/bench/kamailio-records.sh stop
# Used by register-ladder.sh kamailio-records. env: BENCH_KIT, KAM_DIR, CHILDREN (1), as the kit's start.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
KIT=$(cd "${BENCH_KIT:-../shared/bench}" && pwd)
export KAM_DIR=${KAM_DIR:-/tmp/kam-bench-records}
COPY=$KAM_DIR/kit   # the kit's start.sh and stop.sh beside the changed configuration
SCHEMA=/usr/share/kamailio/db_sqlite

case ${1:-} in
  start)
    [[ -n ${2:-} ]] || { echo "usage: $0 start USERS_JSON" >&2; exit 2; }
    rm -rf "$KAM_DIR" && mkdir -p "$COPY"
    cp "$KIT/kamailio/start.sh" "$KIT/kamailio/stop.sh" "$COPY/"
    # Bindings written through, and an accounting row once a registration is saved.
    sed -e 's|^modparam("usrloc", "db_mode", 0)|modparam("usrloc", "db_mode", 1)\nmodparam("usrloc", "db_url", DBURL)|' \
      -e 's|^loadmodule "auth_db.so"|&\nloadmodule "acc.so"\nmodparam("acc", "db_url", DBURL)|' \
      -e 's|^\tif (!save("location")) {|\tif (save("location")) {\n\t\tacc_db_request("200 OK", "acc");\n\t} else {|' \
      "$KIT/kamailio/kamailio.cfg" >"$COPY/kamailio.cfg"
    for want in 'db_mode", 1' 'acc_db_request' 'loadmodule "acc.so"'; do
      grep -q "$want" "$COPY/kamailio.cfg" || { echo "the kit's kamailio.cfg changed: no $want after the edit" >&2; exit 1; }
    done
    python3 "$KIT/kamailio/provision.py" "$2" "$KAM_DIR/kamailio.sqlite" >&2
    python3 - "$KAM_DIR/kamailio.sqlite" "$SCHEMA/usrloc-create.sql" "$SCHEMA/acc-create.sql" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for f in sys.argv[2:]:
    sql = open(f).read()
    # acc writes NULL for what a request lacks (a REGISTER's To tag): Kamailio's schema refuses it.
    if f.endswith("acc-create.sql"):
        sql = sql.replace("DEFAULT '' NOT NULL", "DEFAULT ''")
    db.executescript(sql)
db.execute("PRAGMA journal_mode=WAL")  # kept in the file: Kamailio's connections use it too
db.commit()
db.close()
PY
    CHILDREN=${CHILDREN:-1} "$COPY/start.sh"
    ;;
  stop) [[ -x $COPY/stop.sh ]] && "$COPY/stop.sh" ;;
  *) echo "usage: $0 start USERS_JSON | stop" >&2; exit 2 ;;
esac
