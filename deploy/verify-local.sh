#!/usr/bin/env bash
# Verifies deploy/ on one machine (root, Debian 12: PostgreSQL 15 and nginx installed): throwaway
# cluster, two server processes, nginx with a self-signed certificate; prints what it ran and saw.
# Ports 55432, 8801, 8802, 8443, 8080 must be free. Stops everything at the end.
set -uo pipefail
T="${OPS_VERIFY_DIR:-/tmp/opsverify}"; mkdir -p "$T"; cd "$(dirname "$0")/.."
run() { echo "\$ $*"; "$@"; echo "[exit $?]"; }
export PG_TEST_BASE=$T/pg PG_TEST_PORT=55432
run bash scripts/pg-up.sh
PGBIN=/usr/lib/postgresql/15/bin
echo "\$ psql -U postgres -v pw=\"'s3cret-test'\" -f deploy/postgres-setup.sql"
psql -h 127.0.0.1 -p 55432 -U postgres -d postgres -v pw="'s3cret-test'" -f deploy/postgres-setup.sql; echo "[exit $?]"
export DATABASE_URL="postgres://qsi_clipper:s3cret-test@127.0.0.1:55432/qsi_clipper" TRUST_PROXY=127.0.0.1 HOST=127.0.0.1
for p in 8801 8802; do PORT=$p node --import tsx server/main.ts >$T/server-$p.log 2>&1 & echo $! >$T/server-$p.pid; done
# TLS: self-signed certificate, the deploy config with the test paths and ports 8443/8080
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost \
  -keyout $T/privkey.pem -out $T/fullchain.pem 2>/dev/null
sed -e "s#/etc/ssl/qsi-clipper#$T#" -e 's/listen 443/listen 8443/; s/listen \[::\]:443/listen [::]:8443/' \
  -e 's/listen 80;/listen 8080;/; s/listen \[::\]:80;/listen [::]:8080;/' -e 's/clipper.example.org/localhost/' \
  deploy/nginx-qsi-clipper.conf > $T/site.conf
cat > $T/nginx.conf <<NG
worker_processes 1; pid $T/nginx.pid; error_log $T/nginx-error.log;
events { worker_connections 1024; }
http { access_log $T/nginx-access.log; client_body_temp_path $T/body; proxy_temp_path $T/proxy;
  fastcgi_temp_path $T/fcgi; uwsgi_temp_path $T/uwsgi; scgi_temp_path $T/scgi; include $T/site.conf; }
NG
run nginx -t -c $T/nginx.conf
run nginx -c $T/nginx.conf
for i in $(seq 1 60); do grep -q listening $T/server-8801.log && grep -q listening $T/server-8802.log && break; sleep 1; done
cat $T/server-8801.log $T/server-8802.log
C="curl -sS --cacert $T/fullchain.pem"
B=https://localhost:8443
echo "\$ $C -D- $B/healthz"; $C -D- $B/healthz; echo
echo "\$ $C -o /dev/null -w '%{http_version} %{http_code} %{size_download}\n' $B/openapi.json"; $C -o /dev/null -w '%{http_version} %{http_code} %{size_download}\n' $B/openapi.json
echo "\$ curl -sS -o /dev/null -w '%{http_code} %{redirect_url}\n' http://localhost:8080/healthz"; curl -sS -o /dev/null -w '%{http_code} %{redirect_url}\n' http://localhost:8080/healthz
echo "\$ node --import tsx server/cli.ts team create \"Radiology QSI\""
node --import tsx server/cli.ts team create "Radiology QSI" | tee $T/team.txt
TEAM=$(sed -n 's/.*created: //p' $T/team.txt); CODE=$(grep -o 'qsi-inv-[^ ]*' $T/team.txt)
H=(-H 'content-type: application/json' -H 'x-qsi-protocol: 1')
echo "\$ $C -X POST $B/v1/join (the admin invite, from source address 127.0.0.7)"
$C --interface 127.0.0.7 "${H[@]}" -d "{\"protocolVersion\":1,\"code\":\"$CODE\",\"displayName\":\"Ada\",\"deviceLabel\":\"curl\"}" $B/v1/join | tee $T/join.json; echo
TOK=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).token)' $T/join.json)
echo "\$ curl -X POST http://127.0.0.1:8801/v1/push (an assessment.update, straight to instance 8801)"
curl -sS "${H[@]}" -H "authorization: Bearer $TOK" -d '{"protocolVersion":1,"clientId":"opsverify01","mutations":[{"mutationId":1,"type":"assessment.update","criterionId":"qsi:XR-01","base":{},"set":{"rating":"amber"}}]}' http://127.0.0.1:8801/v1/push; echo
echo "\$ curl -X POST http://127.0.0.1:8802/v1/pull (instance 8802)"
curl -sS "${H[@]}" -H "authorization: Bearer $TOK" -d '{"protocolVersion":1,"cursor":null}' http://127.0.0.1:8802/v1/pull; echo
echo "\$ a wait through nginx from the head; 2 s later a push straight to 8801; time the wake"
HEAD=$(curl -sS "${H[@]}" -H "authorization: Bearer $TOK" -d '{"protocolVersion":1,"cursor":null}' http://127.0.0.1:8802/v1/pull | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).cursor))')
( s=$(date +%s%N); $C "${H[@]}" -H "authorization: Bearer $TOK" -d "{\"protocolVersion\":1,\"cursor\":\"$HEAD\",\"timeoutMs\":25000}" $B/v1/wait; echo " (wait answered after $(( ($(date +%s%N)-s)/1000000 )) ms)" ) & WP=$!
sleep 2
curl -sS -o /dev/null "${H[@]}" -H "authorization: Bearer $TOK" -d '{"protocolVersion":1,"clientId":"opsverify01","mutations":[{"mutationId":2,"type":"assessment.update","criterionId":"qsi:XR-01","base":{"rating":'"$HEAD"'},"set":{"rating":"green"}}]}' http://127.0.0.1:8801/v1/push
wait $WP
echo "\$ an idle wait through nginx, timeoutMs 25000 (long-poll timeouts)"
HEAD2=$((HEAD+1)); s=$(date +%s%N)
$C "${H[@]}" -H "authorization: Bearer $TOK" -d "{\"protocolVersion\":1,\"cursor\":\"$HEAD2\",\"timeoutMs\":25000}" $B/v1/wait; echo " (after $(( ($(date +%s%N)-s)/1000000 )) ms)"
echo "\$ a forged token through nginx from 127.0.0.9, claiming X-Forwarded-For: 203.0.113.5"
$C --interface 127.0.0.9 -H 'x-forwarded-for: 203.0.113.5' "${H[@]}" -H 'authorization: Bearer qsi_nope.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' -d '{"protocolVersion":1,"cursor":null}' $B/v1/pull; echo
echo "\$ node --import tsx server/cli.ts audit --limit 5"
node --import tsx server/cli.ts audit --limit 5
echo "\$ psql -U qsi_clipper -c 'SELECT action, outcome, ip FROM audit_events ORDER BY ts'"
psql -h 127.0.0.1 -p 55432 -U qsi_clipper -d qsi_clipper -c "SELECT action, outcome, ip FROM audit_events ORDER BY ts"
echo "\$ a body over 4 MiB through nginx"
head -c 5000000 /dev/zero | tr '\0' 'a' > $T/big.txt
$C -o /dev/null -w '%{http_code}\n' "${H[@]}" --data-binary @$T/big.txt $B/v1/push
echo "\$ node --import tsx server/cli.ts verify"; node --import tsx server/cli.ts verify; echo "[exit $?]"
echo "\$ pg_dump -Fc … > clipper.dump; createdb restore_test; pg_restore; verify against it"
$PGBIN/pg_dump -h 127.0.0.1 -p 55432 -U qsi_clipper -Fc -f $T/clipper.dump qsi_clipper; echo "[pg_dump exit $?] $(stat -c %s $T/clipper.dump) bytes"
psql -q -h 127.0.0.1 -p 55432 -U postgres -d postgres -c "CREATE DATABASE qsi_clipper_restore OWNER qsi_clipper TEMPLATE template0"
$PGBIN/pg_restore -h 127.0.0.1 -p 55432 -U qsi_clipper -d qsi_clipper_restore --no-owner $T/clipper.dump; echo "[pg_restore exit $?]"
psql -q -h 127.0.0.1 -p 55432 -U postgres -d qsi_clipper_restore -c "ALTER DATABASE qsi_clipper_restore SET search_path = qsi_clipper"
DATABASE_URL="postgres://qsi_clipper:s3cret-test@127.0.0.1:55432/qsi_clipper_restore" node --import tsx server/cli.ts verify; echo "[verify on restore exit $?]"
DATABASE_URL="postgres://qsi_clipper:s3cret-test@127.0.0.1:55432/qsi_clipper_restore" node --import tsx server/cli.ts team list
echo "--- server logs (first lines) ---"; head -3 $T/server-8801.log; head -3 $T/server-8802.log
echo "--- nginx access log ---"; tail -5 $T/nginx-access.log
echo "--- stop everything ---"
for p in 8801 8802; do kill $(cat $T/server-$p.pid); done; sleep 2; tail -1 $T/server-8801.log; tail -1 $T/server-8802.log
nginx -c $T/nginx.conf -s stop; bash scripts/pg-down.sh 2>/dev/null; echo "stopped"
