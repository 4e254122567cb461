#include "numa/pod/quantity.h"

#include <gtest/gtest.h>

namespace numalign::numa {
namespace {

Quantity Q(const std::string& text) {
  std::string error;
  auto q = Quantity::Parse(text, &error);
  EXPECT_TRUE(q.has_value()) << text << ": " << error;
  return q.value_or(Quantity());
}

std::string ErrorOf(const std::string& text) {
  std::string error;
  EXPECT_FALSE(Quantity::Parse(text, &error).has_value()) << text;
  return error;
}

TEST(QuantityTest, PlainAndDecimalNumbers) {
  EXPECT_EQ(Q("0").AsInt64(), 0);
  EXPECT_EQ(Q("12").AsInt64(), 12);
  EXPECT_EQ(Q("+7").AsInt64(), 7);
  EXPECT_EQ(Q("1.5").MilliValueCeil(), 1500);
  EXPECT_EQ(Q(".5").MilliValueCeil(), 500);
  EXPECT_EQ(Q("5.").AsInt64(), 5);
  EXPECT_EQ(Q("007").AsInt64(), 7);
}

TEST(QuantityTest, DecimalSiSuffixes) {
  EXPECT_EQ(Q("500m").MilliValueCeil(), 500);
  EXPECT_EQ(Q("1k").AsInt64(), 1000);
  EXPECT_EQ(Q("2M").AsInt64(), 2000000);
  EXPECT_EQ(Q("3G").AsInt64(), 3000000000LL);
  EXPECT_EQ(Q("1T").AsInt64(), 1000000000000LL);
  EXPECT_EQ(Q("1P").AsInt64(), 1000000000000000LL);
  EXPECT_EQ(Q("1E").AsInt64(), 1000000000000000000LL);
  EXPECT_EQ(Q("250u").MilliValueCeil(), 1);  // rounds up to the next milli
  EXPECT_EQ(Q("5n").MilliValueCeil(), 1);
  EXPECT_FALSE(Q("1500m").AsInt64().has_value());
}

TEST(QuantityTest, BinarySiSuffixes) {
  EXPECT_EQ(Q("1Ki").AsInt64(), 1024);
  EXPECT_EQ(Q("1Mi").AsInt64(), 1048576);
  EXPECT_EQ(Q("1Gi").AsInt64(), 1073741824LL);
  EXPECT_EQ(Q("1.5Gi").AsInt64(), 1610612736LL);
  EXPECT_EQ(Q("2Ti").AsInt64(), 2LL << 40);
  EXPECT_EQ(Q("1Pi").AsInt64(), 1LL << 50);
  EXPECT_EQ(Q("1Ei").AsInt64(), 1LL << 60);
}

TEST(QuantityTest, Exponents) {
  EXPECT_EQ(Q("1e3").AsInt64(), 1000);
  EXPECT_EQ(Q("1E3").AsInt64(), 1000);
  EXPECT_EQ(Q("12e+2").AsInt64(), 1200);
  EXPECT_EQ(Q("5e-1").MilliValueCeil(), 500);
  EXPECT_EQ(Q("1.5e1").AsInt64(), 15);
}

TEST(QuantityTest, CpuIntegerRule) {
  // The CPU manager's test: Value()*1000 == MilliValue().
  EXPECT_EQ(Q("2").ValueCeil() * 1000, Q("2").MilliValueCeil());
  EXPECT_NE(Q("1500m").ValueCeil() * 1000, Q("1500m").MilliValueCeil());
  EXPECT_EQ(Q("2000m").ValueCeil() * 1000, Q("2000m").MilliValueCeil());
  EXPECT_NE(Q("1.0001").ValueCeil() * 1000, Q("1.0001").MilliValueCeil());
}

TEST(QuantityTest, ComparesExactly) {
  EXPECT_EQ(Q("1Gi"), Q("1073741824"));
  EXPECT_EQ(Q("1000m"), Q("1"));
  EXPECT_LT(Q("999m"), Q("1"));
  EXPECT_EQ(Q("500m") + Q("1500m"), Q("2"));
}

TEST(QuantityTest, MalformedIsAnErrorNotACrash) {
  EXPECT_NE(ErrorOf("").find("regular expression"), std::string::npos);
  EXPECT_NE(ErrorOf("abc").find("regular expression"), std::string::npos);
  EXPECT_NE(ErrorOf("1..2").find("regular expression"), std::string::npos);
  EXPECT_NE(ErrorOf("1 Gi").find("regular expression"), std::string::npos);
  EXPECT_EQ(ErrorOf("1Gb"), "unable to parse quantity's suffix");
  EXPECT_EQ(ErrorOf("1Kii"), "unable to parse quantity's suffix");
  EXPECT_EQ(ErrorOf("1e"), "unable to parse quantity's suffix");
  EXPECT_EQ(ErrorOf("1e+"), "unable to parse quantity's suffix");
  ErrorOf("-");
  ErrorOf(".");
}

TEST(QuantityTest, AbsurdValuesAreRejected) {
  EXPECT_NE(ErrorOf("100Ei").find("too large"), std::string::npos);
  EXPECT_NE(ErrorOf("1e30").find("too large"), std::string::npos);
  EXPECT_NE(ErrorOf("99999999999999999999999").find("too large"), std::string::npos);
  ErrorOf("1e99999");
  // The largest value Kubernetes stores still parses.
  EXPECT_EQ(Q("9223372036854775807").AsInt64(), INT64_MAX);
  EXPECT_NE(ErrorOf("9223372036854775808").find("too large"), std::string::npos);
}

TEST(QuantityTest, SubNanoRoundsUpLikeKubernetes) {
  EXPECT_FALSE(Q("1e-12").IsZero());
  EXPECT_EQ(Q("0.0000000001").MilliValueCeil(), 1);
  EXPECT_TRUE(Q("0.000").IsZero());
}

}  // namespace
}  // namespace numalign::numa
