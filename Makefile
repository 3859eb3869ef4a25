# Orefront: `make run` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test bench clean format

all: build

deps:
	@bash .ci/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Opens the viewer on the bundled scenario; with no display, writes the report and a
# rendered map instead and says where they are.
run: build
	@bash .ci/run-main.sh $(BUILD_DIR)

# All tests through ctest; the GL tests need an X server, so the run is wrapped in xvfb-run.
test: build
	@cd $(BUILD_DIR) && xvfb-run -a -s "-screen 0 1920x1200x24" ctest --output-on-failure -j $(JOBS)

bench: build
	@bash bench/run_bench.sh $(BUILD_DIR)

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	@rm -rf $(BUILD_DIR)
