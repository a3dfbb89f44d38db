// What a zonebuf call threw, as a value: the differential fuzzers and the
// stream op script compare it against their models' answers. Portable to
// every build (wasm32, -Wpedantic), so both the fuzz models and GoogleTest
// suites can include it.
#pragma once

#include "zonebuf/zonebuf.hpp"

namespace zonebuf::testing {

enum class Outcome { Ok, Underflow, Overflow, InvalidArgument, Malformed };

// Runs `call` and classifies what it threw; any other exception propagates.
template <class Call>
Outcome outcomeOf(Call&& call) {
  try {
    call();
    return Outcome::Ok;
  } catch (const BufferUnderflowError&) {
    return Outcome::Underflow;
  } catch (const BufferOverflowError&) {
    return Outcome::Overflow;
  } catch (const InvalidArgumentError&) {
    return Outcome::InvalidArgument;
  } catch (const MalformedTextError&) {
    return Outcome::Malformed;
  }
}

}  // namespace zonebuf::testing
