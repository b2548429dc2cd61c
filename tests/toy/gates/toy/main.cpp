#include "core/gate.hpp"
#include "toy/toy.hpp"

int main(int argc, char** argv) {
  return shipgate::run_gate(*shipgate::toy::make_gate(), shipgate::invocation_from_main(argc, argv));
}
