#!/usr/bin/env bash
# Rate limits of cluster scope, A/B of builds or settings on one local redis-server: bench/ab.sh with SCOPE=cluster on
# the two scenarios that reach the limit stage. A variant named "instance" is the same jar in instance scope.
#
#   bench/scope-ab.sh 'instance=JAR' 'pooled=/tmp/pooled/quarkus-app/quarkus-run.jar' 'pipelined=JAR'
exec env SCOPE=cluster SCENARIOS="${SCENARIOS:-admit limited}" "$(dirname "$0")/ab.sh" "$@"
