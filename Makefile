# Two commands on a fresh machine (README, "Quick start"):
#   make run    install, load the seed article + related items + demo content, index, serve
#   make test   install test dependencies (and Debian's Chromium) and run the whole suite
# A local 3-node OpenSearch cluster (search/engines/opensearch/cluster/README.md):
#   make cluster / cluster-stop / cluster-status / cluster-node N=2 / cluster-kill N=2
PYTHON ?= $(shell command -v python3.11 || command -v python3)
PYTHON_VERSION_OK := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info[:2] == (3, 11)))')
ifneq ($(PYTHON_VERSION_OK),1)
$(error The archive needs Python 3.11 (found $(PYTHON)); set PYTHON=/path/to/python3.11)
endif
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
DEMO_ARTICLES ?= 300

.PHONY: run install install-dev setup-data test lint chromium cluster cluster-stop cluster-node cluster-kill cluster-status

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

setup-data: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) setup_demo --demo-articles $(DEMO_ARTICLES)
	DEBUG=1 $(MANAGE) ensure_editor

run: setup-data
	DEBUG=1 $(MANAGE) runserver $(HOST)

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium (sudo apt-get install chromium) for the browser tests"; fi; }

# PYTEST_ARGS: extra pytest arguments (CI's PostgreSQL pass selects with it).
test: install-dev chromium
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# OpenSearch 2.19.6 from Maven Central jars only, one JVM per node (-Xmx512m), HTTP on
# 127.0.0.1:9201-9203; the launcher, jars, Maven's downloads, node data, pids and logs go to var/cluster.
CLUSTER_SRC := search/engines/opensearch/cluster
CLUSTER_DIR := $(abspath var/cluster)
CLUSTER_M2 ?= $(CLUSTER_DIR)/m2
CLUSTER_JAR := $(CLUSTER_DIR)/lib/archive-cluster-node-1.0.jar
CLUSTER := CLUSTER_DIR=$(CLUSTER_DIR) $(CLUSTER_SRC)/cluster.sh
MVN ?= mvn

$(CLUSTER_JAR): $(CLUSTER_SRC)/pom.xml $(shell find $(CLUSTER_SRC)/src -name '*.java')
	rm -rf $(CLUSTER_DIR)/lib $(CLUSTER_DIR)/cds
	$(MVN) -B -q -Dstyle.color=never -f $(CLUSTER_SRC)/pom.xml -Dmaven.repo.local=$(CLUSTER_M2) -Dcluster.dir=$(CLUSTER_DIR) package

cluster: $(CLUSTER_JAR)
	@$(CLUSTER) start

cluster-stop:
	@$(CLUSTER) stop

# Restart one node (after a fault test killed it): make cluster-node N=2
cluster-node: $(CLUSTER_JAR)
	@$(CLUSTER) node $(N)

# SIGKILL one node's JVM, for fault tests: make cluster-kill N=2
cluster-kill:
	@$(CLUSTER) kill $(N)

cluster-status:
	@$(CLUSTER) status
