package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnTypeTest {

  /** Every family, several NUMERIC(p,s) (incl. ones whose joins overflow NUMERIC(38)), VARCHAR(n). */
  static List<ColumnType> sample() {
    List<ColumnType> types = new ArrayList<>(List.of(
        ColumnType.UNKNOWN,
        ColumnType.BOOLEAN,
        ColumnType.SMALLINT,
        ColumnType.INTEGER,
        ColumnType.BIGINT,
        ColumnType.DOUBLE,
        ColumnType.TIMESTAMPTZ));
    int[][] numerics = {{1, 0}, {3, 2}, {5, 0}, {10, 2}, {10, 9}, {18, 4}, {20, 10}, {30, 0}, {38, 0}, {38, 37}};
    for (int[] n : numerics) {
      types.add(ColumnType.numeric(n[0], n[1]));
    }
    for (int n : new int[] {1, 5, 10, 16, 40, 256, 65535}) {
      types.add(ColumnType.varcharExactly(n));
    }
    return types;
  }

  @Test
  void lubIsCommutative() {
    for (ColumnType a : sample()) {
      for (ColumnType b : sample()) {
        assertThat(a.lub(b)).as("%s ⊔ %s", a, b).isEqualTo(b.lub(a));
      }
    }
  }

  @Test
  void lubIsIdempotent() {
    for (ColumnType a : sample()) {
      assertThat(a.lub(a)).as("%s ⊔ itself", a).isEqualTo(a);
    }
  }

  @Test
  void lubNeverNarrows() {
    for (ColumnType a : sample()) {
      for (ColumnType b : sample()) {
        ColumnType r = a.lub(b);
        assertThat(r.holds(a)).as("%s = %s ⊔ %s holds %s", r, a, b, a).isTrue();
        assertThat(r.holds(b)).as("%s = %s ⊔ %s holds %s", r, a, b, b).isTrue();
        for (ColumnType c : sample()) {
          ColumnType r3 = r.lub(c);
          assertThat(r3.holds(a) && r3.holds(b) && r3.holds(c)).as("%s ⊔ %s ⊔ %s = %s", a, b, c, r3).isTrue();
        }
      }
    }
  }

  @Test
  void everyTypeHoldsItselfAndUnknown() {
    for (ColumnType a : sample()) {
      assertThat(a.holds(a)).as("%s holds itself", a).isTrue();
      assertThat(a.holds(ColumnType.UNKNOWN)).as("%s holds UNKNOWN", a).isTrue();
    }
  }

  @Test
  void unknownIsTheBottom() {
    for (ColumnType a : sample()) {
      assertThat(ColumnType.UNKNOWN.lub(a)).isEqualTo(a);
      assertThat(a.lub(ColumnType.UNKNOWN)).isEqualTo(a);
    }
    assertThat(ColumnType.UNKNOWN.holds(ColumnType.BOOLEAN)).isFalse();
  }

  @Test
  void integersWidenAlongTheirOrder() {
    assertThat(ColumnType.SMALLINT.lub(ColumnType.INTEGER)).isEqualTo(ColumnType.INTEGER);
    assertThat(ColumnType.INTEGER.lub(ColumnType.SMALLINT)).isEqualTo(ColumnType.INTEGER);
    assertThat(ColumnType.INTEGER.lub(ColumnType.BIGINT)).isEqualTo(ColumnType.BIGINT);
    assertThat(ColumnType.SMALLINT.lub(ColumnType.BIGINT)).isEqualTo(ColumnType.BIGINT);
    assertThat(ColumnType.INTEGER.holds(ColumnType.BIGINT)).isFalse();
  }

  @Test
  void integersAndNumericsMeetInANumericWideEnoughForBoth() {
    assertThat(ColumnType.BIGINT.lub(ColumnType.numeric(3, 2))).isEqualTo(ColumnType.numeric(21, 2));
    assertThat(ColumnType.SMALLINT.lub(ColumnType.numeric(3, 2))).isEqualTo(ColumnType.numeric(7, 2));
    assertThat(ColumnType.numeric(10, 2).lub(ColumnType.numeric(5, 4))).isEqualTo(ColumnType.numeric(12, 4));
  }

  @Test
  void numericsBeyondPrecision38BecomeText() {
    ColumnType r = ColumnType.numeric(30, 0).lub(ColumnType.numeric(10, 9));
    assertThat(r.family()).isEqualTo(ColumnType.Family.VARCHAR);
    // "-" + 30 digits fits in the VARCHAR; so does "-0.123456789".
    assertThat(r.length()).isGreaterThanOrEqualTo(31);
    assertThat(r.holds(ColumnType.numeric(30, 0))).isTrue();
    assertThat(r.holds(ColumnType.numeric(10, 9))).isTrue();
  }

  @Test
  void mixedKindsBecomeText() {
    ColumnType boolInt = ColumnType.BOOLEAN.lub(ColumnType.INTEGER);
    assertThat(boolInt.family()).isEqualTo(ColumnType.Family.VARCHAR);
    assertThat(boolInt.length()).isGreaterThanOrEqualTo(11); // "-2147483648", "false"

    ColumnType doubleInt = ColumnType.DOUBLE.lub(ColumnType.INTEGER);
    assertThat(doubleInt.family()).isEqualTo(ColumnType.Family.VARCHAR);
    assertThat(doubleInt.length()).isGreaterThanOrEqualTo(11);

    ColumnType doubleNumeric = ColumnType.DOUBLE.lub(ColumnType.numeric(3, 2));
    assertThat(doubleNumeric.family()).isEqualTo(ColumnType.Family.VARCHAR);

    assertThat(ColumnType.TIMESTAMPTZ.lub(ColumnType.varcharExactly(10))).isEqualTo(ColumnType.varcharExactly(40));
    assertThat(ColumnType.varcharExactly(10).lub(ColumnType.varcharExactly(300))).isEqualTo(ColumnType.varcharExactly(300));
    assertThat(ColumnType.varcharExactly(100).lub(ColumnType.BOOLEAN)).isEqualTo(ColumnType.varcharExactly(100));
  }

  @Test
  void toStringIsSqlText() {
    assertThat(ColumnType.numeric(21, 2)).hasToString("NUMERIC(21,2)");
    assertThat(ColumnType.varcharExactly(40)).hasToString("VARCHAR(40)");
    assertThat(ColumnType.DOUBLE).hasToString("DOUBLE PRECISION");
    assertThat(ColumnType.TIMESTAMPTZ).hasToString("TIMESTAMPTZ");
    assertThat(ColumnType.UNKNOWN).hasToString("UNKNOWN");
  }

  @Test
  void parseRoundTripsEveryType() {
    for (ColumnType a : sample()) {
      assertThat(ColumnType.parse(a.toString())).as(a.toString()).isEqualTo(a);
    }
    assertThat(ColumnType.parse(" numeric(12,3) ")).isEqualTo(ColumnType.numeric(12, 3));
    assertThat(ColumnType.parse("varchar(7)")).isEqualTo(ColumnType.varcharExactly(7));
  }

  @Test
  void parseRejectsGarbage() {
    for (String garbage : List.of("", "FOO", "INT", "DOUBLE", "VARCHAR(x)", "NUMERIC(1,2,3)", "12",
        "VARCHAR(10", "TEXT", "NUMERIC(5,6)", "VARCHAR(0)", "VARCHAR(65536)", "NUMERIC(39,0)")) {
      assertThatThrownBy(() -> ColumnType.parse(garbage))
          .as("parse(%s)", garbage)
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("column type", "outside"));
    }
  }

  @Test
  void constructorRejectsTypesBeyondTheWarehouseLimits() {
    assertThatThrownBy(() -> ColumnType.numeric(39, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUMERIC(39,0)");
    assertThatThrownBy(() -> ColumnType.numeric(10, 11)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ColumnType.numeric(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ColumnType.numeric(38, 38)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ColumnType.varcharExactly(65536)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VARCHAR(65536)");
    assertThatThrownBy(() -> ColumnType.varcharExactly(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ColumnType.varchar(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ColumnType.numeric(38, 37).precision()).isEqualTo(38);
    assertThat(ColumnType.varcharExactly(65535).length()).isEqualTo(65535);
  }

  @Test
  void varcharRoundsUpToAPowerOfTwoOfAtLeast16() {
    assertThat(ColumnType.varchar(1)).isEqualTo(ColumnType.varcharExactly(16));
    assertThat(ColumnType.varchar(16)).isEqualTo(ColumnType.varcharExactly(16));
    assertThat(ColumnType.varchar(17)).isEqualTo(ColumnType.varcharExactly(32));
    assertThat(ColumnType.varchar(1000)).isEqualTo(ColumnType.varcharExactly(1024));
    assertThat(ColumnType.varchar(40000)).isEqualTo(ColumnType.varcharExactly(65535));
    assertThat(ColumnType.varchar(65535)).isEqualTo(ColumnType.varcharExactly(65535));
  }
  @Test
  void lubIsAssociative() {
    List<String> failures = new ArrayList<>();
    for (ColumnType a : sample()) {
      for (ColumnType b : sample()) {
        for (ColumnType c : sample()) {
          ColumnType left = a.lub(b).lub(c);
          ColumnType right = a.lub(b.lub(c));
          if (!left.equals(right)) {
            failures.add("(" + a + " ⊔ " + b + ") ⊔ " + c + " = " + left + " but " + a + " ⊔ (" + b + " ⊔ " + c + ") = " + right);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
  }


  @Test
  void parseRejectsAMissingSizeClearly() {
    for (String garbage : List.of("VARCHAR", "NUMERIC", "VARCHAR()", "VARCHAR(99999999999)")) {
      assertThatThrownBy(() -> ColumnType.parse(garbage))
          .as("parse(%s)", garbage)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(garbage);
    }
  }

  @Test
  void parseRejectsArgumentsOnTypesWithoutThem() {
    for (String garbage : List.of("BOOLEAN(5)", "SMALLINT(3,2)", "TIMESTAMPTZ(6)", "DOUBLE PRECISION(3)", "VARCHAR(10,2)")) {
      assertThatThrownBy(() -> ColumnType.parse(garbage))
          .as("parse(%s)", garbage)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
