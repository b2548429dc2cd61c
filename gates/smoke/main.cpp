#include "core/gate.hpp"
#include "smoke/smoke.hpp"

int main(int argc, char** argv) {
  return shipgate::run_gate(*shipgate::smoke::make_gate(), shipgate::invocation_from_main(argc, argv));
}
