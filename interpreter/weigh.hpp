#pragma once
// The steps what the interpreter enters is charged (weigh.cpp).
#include "interpreter/program.hpp"

namespace merit {

/// Sets the steps each list form charges for an item (`per_item`: one, and the nodes of its element and
/// condition, its sort keys, or its counting condition and tie keys), each let or output when worked out
/// (`weight`: its rules' values and conditions), and each requirement (`per_item`: its condition), the
/// bodies of the functions they call counted where they are called. Called once on a program that checked
/// without errors, after inlining.
void weigh_program(const Program& program);

}  // namespace merit
