#!/usr/bin/env bash
# start-tls-node.sh BASE_DIR
# Starts one stand-alone throw-away node <RMQ_PREFIX>tls@RMQ_HOST that listens only for AMQP over
# TLS on RMQ_TLS_PORT (default 5691), distribution on that port + 20000, with certificates from a
# throw-away CA made here. BASE_DIR/tls/ then holds:
#   ca.pem                         the CA to trust
#   client.pem, client.key         a client certificate signed by ca.pem; client.p12 (password changeit)
#   wrong-ca.pem, wrong-client.*   a second, untrusted CA and a client certificate it signed
# The node asks for a client certificate but does not require one; one it cannot verify is refused.
# Safe to run again (keys are made once, a running node is kept). Stop with stop-cluster.sh BASE_DIR.
. "$(dirname "$0")/rmq-node.sh"
init_base "$1"
PORT=${RMQ_TLS_PORT:-5691}
T=$BASE/tls

# issue NAME CA EXTENSIONS: NAME.key + NAME.pem for CN=localhost, signed by CA
issue() {
  openssl req -new -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$T/$1.key" -out "$T/$1.csr" 2> /dev/null
  printf '%b\n' "$3" > "$T/$1.ext"
  openssl x509 -req -in "$T/$1.csr" -CA "$T/$2.pem" -CAkey "$T/$2.key" -CAcreateserial -days 7 \
    -extfile "$T/$1.ext" -out "$T/$1.pem" 2> /dev/null
}
if [ ! -s "$T/client.p12" ]; then
  mkdir -p "$T"
  for ca in ca wrong-ca; do
    openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=warren-it throw-away $ca" \
      -keyout "$T/$ca.key" -out "$T/$ca.pem" 2> /dev/null
  done
  issue server ca 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth'
  issue client ca 'extendedKeyUsage=clientAuth'
  issue wrong-client wrong-ca 'extendedKeyUsage=clientAuth'
  openssl pkcs12 -export -in "$T/client.pem" -inkey "$T/client.key" -out "$T/client.p12" -passout pass:changeit
fi

t=$(now)
start_node "${RMQ_PREFIX}tls" $((PORT + 20000)) "listeners.tcp = none" "listeners.ssl.default = $PORT" \
  "ssl_options.cacertfile = $T/ca.pem" "ssl_options.certfile = $T/server.pem" \
  "ssl_options.keyfile = $T/server.key" "ssl_options.verify = verify_peer" \
  "ssl_options.fail_if_no_peer_cert = false"
wait_node "${RMQ_PREFIX}tls"
echo "TLS node on port $PORT booted in $(elapsed "$t") s; trust $T/ca.pem"
