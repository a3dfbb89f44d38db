// Drives real standard containers through one std::pmr::memory_resource and
// checks their contents, so each resource test runs the same workload:
// growth (vector, string), node churn (list, unordered_map), and nesting
// (a vector of strings that all share the resource). Also the zones and
// the opaque sizes both resource tests use.
#pragma once

#include <gtest/gtest.h>

#include <list>
#include <memory_resource>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "zonebuf/allocators/allocation_zone.hpp"

namespace zonebuf::testing {

inline constexpr AllocationZone kPmrZones[] = {AllocationZone::Heap, AllocationZone::Direct,
                                               AllocationZone::SharedMemory};

// Sizes no allocator can serve, opaque to the compiler (it warns about
// constant allocation sizes beyond PTRDIFF_MAX).
inline std::size_t opaque(std::size_t n) {
  volatile std::size_t v = n;
  return v;
}

inline void exerciseContainers(std::pmr::memory_resource& r) {
  {
    std::pmr::vector<int> v(&r);
    for (int i = 0; i < 20000; ++i) v.push_back(i);
    for (int i = 0; i < 20000; ++i) ASSERT_EQ(v[static_cast<std::size_t>(i)], i);
    v.shrink_to_fit();
    EXPECT_EQ(v.get_allocator().resource(), &r);
  }
  {
    std::pmr::string s(&r);
    for (int i = 0; i < 5000; ++i) s += static_cast<char>('a' + i % 26);
    ASSERT_EQ(s.size(), 5000u);
    EXPECT_EQ(s[27], 'b');
    std::pmr::string copy(s, &r);
    EXPECT_EQ(copy, s);
  }
  {
    std::pmr::unordered_map<int, int> m(&r);
    for (int round = 0; round < 4; ++round) {
      for (int i = 0; i < 3000; ++i) m[i] = i * round;
      for (int i = 0; i < 3000; i += 2) m.erase(i);
      ASSERT_EQ(m.size(), 1500u);
      EXPECT_EQ(m.at(2999), 2999 * round);
      m.clear();
    }
  }
  {
    std::pmr::list<int> l(&r);
    for (int i = 0; i < 10000; ++i) l.push_back(i);
    l.remove_if([](int x) { return x % 3 == 0; });
    for (int i = 0; i < 1000; ++i) l.push_front(-i);
    long sum = 0;
    for (int x : l) sum += x;
    long want = 0;
    for (int i = 0; i < 10000; ++i) want += i % 3 == 0 ? 0 : i;
    for (int i = 0; i < 1000; ++i) want -= i;
    EXPECT_EQ(sum, want);
  }
  {
    std::pmr::vector<std::pmr::string> words(&r);
    for (int i = 0; i < 2000; ++i) words.emplace_back(std::string(static_cast<std::size_t>(i % 97), 'x') + std::to_string(i));
    for (const auto& w : words) EXPECT_EQ(w.get_allocator().resource(), &r);
    words.erase(words.begin(), words.begin() + 1000);
    EXPECT_EQ(std::string_view(words.front()), std::string(1000 % 97, 'x') + "1000");
    EXPECT_EQ(std::string_view(words.back()), std::string(1999 % 97, 'x') + "1999");
  }
}

}  // namespace zonebuf::testing
