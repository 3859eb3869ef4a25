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

# AddressSanitizer + UndefinedBehaviorSanitizer (README, Hardening): one clang build in
# $(ASAN_BUILD_DIR) that runs the core and CLI tests and replays the fuzz corpora, and that
# also holds the libFuzzer targets (make fuzz FUZZ_TARGET=... FUZZ_SECONDS=...).
ASAN_BUILD_DIR ?= build-asan
ASAN_TARGETS = orefront orefront_core_tests orefront_cli_tests orefront_fuzz_replay_scenario_toml \
	orefront_fuzz_replay_layer_source orefront_fuzz_replay_geojson_pipeline
SANITIZER_ENV = ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:exitcode=86 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
FUZZ_TARGET ?= geojson_pipeline
FUZZ_SECONDS ?= 1200

.PHONY: configure-asan check-asan fuzz

configure-asan: deps
	@CC=clang-14 CXX=clang++-14 cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		"-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g" \
		-DOREFRONT_FUZZ=ON -DOREFRONT_BUILD_VIEWER=OFF -DOREFRONT_BUILD_BENCH=OFF >/dev/null

# Not in the sanitizer build (no viewer, no PostgreSQL test binary): the `render` and `brief`
# subcommands' CLI tests and the PostgreSQL tests; `make test` runs them.
ASAN_CTEST_EXCLUDE = NOT_BUILT|^pg|brief|sheet|^render[ ]|orefront render

check-asan: configure-asan
	@$(SANITIZER_ENV) cmake --build $(ASAN_BUILD_DIR) -j $(JOBS) --target $(ASAN_TARGETS)
	@cd $(ASAN_BUILD_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS) -LE large -E '$(ASAN_CTEST_EXCLUDE)'

# Runs one libFuzzer target on its corpus (new inputs go to $(ASAN_BUILD_DIR)/fuzz-NAME, not
# into the committed corpus; crashes to $(ASAN_BUILD_DIR)/crash-*).
fuzz: configure-asan
	@cmake --build $(ASAN_BUILD_DIR) -j $(JOBS) --target orefront_fuzz_$(FUZZ_TARGET)
	@mkdir -p $(ASAN_BUILD_DIR)/fuzz-$(FUZZ_TARGET)
	@cd $(ASAN_BUILD_DIR) && $(SANITIZER_ENV) ./tests/fuzz/orefront_fuzz_$(FUZZ_TARGET) \
		-max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 fuzz-$(FUZZ_TARGET) \
		$(CURDIR)/tests/fuzz/corpus/$(FUZZ_TARGET)
