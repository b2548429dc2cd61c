#include "core/gate.hpp"
#include "freeze/freeze.hpp"

int main(int argc, char** argv) {
  return shipgate::run_gate(*shipgate::freeze::make_gate(), shipgate::invocation_from_main(argc, argv));
}
