#include "core/gate.hpp"
#include "lint/lint.hpp"

int main(int argc, char** argv) {
  return shipgate::run_gate(*shipgate::lint::make_gate(), shipgate::invocation_from_main(argc, argv));
}
