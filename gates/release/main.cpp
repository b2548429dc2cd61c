#include "core/gate.hpp"
#include "release/release.hpp"

int main(int argc, char** argv) {
  return shipgate::run_gate(*shipgate::release::make_gate(), shipgate::invocation_from_main(argc, argv));
}
