#include "core/gate.hpp"
#include "env/env.hpp"

int main(int argc, char** argv) {
  return shipgate::run_gate(*shipgate::env::make_gate(), shipgate::invocation_from_main(argc, argv));
}
