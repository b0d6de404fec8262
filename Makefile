# The two commands for a fresh machine are `make run` and `make test` (see README.md).
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
PORT ?= 8070

PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: deps configure build test run sanitize clean install package

deps:
	@scripts/deps.sh

configure:
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: deps build
	@scripts/run-tests.sh $(BUILD_DIR)

run: deps build
	@scripts/run-server.sh $(BUILD_DIR) $(PORT)

# Installs binaries, the consumer helper module, example configuration, the systemd unit and
# man pages under PREFIX (DESTDIR for staging).
install: build
	@DESTDIR=$(DESTDIR) cmake --install $(BUILD_DIR) --prefix $(PREFIX)
	@echo "installed under $(DESTDIR)$(PREFIX)"

# A Debian package (CPack) in $(BUILD_DIR)/package; Depends come from the linked libraries.
package: build
	@cd $(BUILD_DIR) && cpack -G DEB
	@ls $(BUILD_DIR)/package/*.deb

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer, in its own build folder.
sanitize: deps
	@$(MAKE) --no-print-directory build BUILD_DIR=build-asan CMAKE_FLAGS="-DPN_SANITIZE=ON -DPN_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo"
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 scripts/run-tests.sh build-asan

clean:
	rm -rf build build-asan build-fuzz
