package io.bptemporal.pipeline.demo;

import io.bptemporal.pipeline.transform.CustomerRuleSets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generated customer records for the {@value CustomerRuleSets#CUSTOMERS_V1} rule set, with a known
 * set of bad ones: the demo, the end-to-end test and the benchmark use it. Deterministic: the same
 * row count gives the same file.
 */
public final class CustomerData {

  /** What is wrong with a bad record, and the rule that must reject it. */
  public enum Defect {
    BAD_EMAIL("email.format"),
    MISSING_ID("customer_id.required"),
    UNKNOWN_COUNTRY("country.code"),
    NEGATIVE_CREDIT("credit_limit_cents.integer"),
    BAD_DATE("signup_date.date"),
    UNPARSEABLE("source.parse");

    private final String rule;

    Defect(String rule) {
      this.rule = rule;
    }

    /** {@code customers-v1/email.format}. */
    public String rule() {
      return CustomerRuleSets.CUSTOMERS_V1 + "/" + rule;
    }
  }

  /** What was written: the file, its record count, and the bad records by offset. */
  public record Generated(Path file, long records, Map<Long, Defect> defects) {
    public Generated {
      defects = Collections.unmodifiableMap(new TreeMap<>(defects));
    }

    public long good() {
      return records - defects.size();
    }
  }

  /** The table the demo and the tests load into (the rule set's columns, keyed by customer_id). */
  public static String createTable(String table) {
    return "create table if not exists "
        + table
        + " (customer_id text primary key, email text not null,"
        + " name text not null, country text, country_name text, email_domain text not null, credit_limit_cents bigint,"
        + " segment text not null, signup_date date, loaded_at timestamptz not null default now())";
  }

  private static final List<String> DOMAINS =
      List.of("example.com", "example.org", "mail.example.net");
  private static final List<String> COUNTRIES =
      List.of("DE", "fr", "NL", " us ", "GB", "se", "ES", "IT", "PL", "AT");
  private static final LocalDate FIRST_SIGNUP = LocalDate.of(2020, 1, 1);

  private CustomerData() {}

  /** About {@code perThousand} of every 1,000 records are bad, spread over the file. */
  public static boolean isBad(long offset, int perThousand) {
    return Math.floorMod(offset * 7_919L + 13, 1_000) < perThousand;
  }

  public static Defect defectOf(long offset) {
    return Defect.values()[(int) Math.floorMod(offset * 31L, Defect.values().length)];
  }

  public static String customerId(long offset) {
    return String.format(Locale.ROOT, "c-%07d", offset);
  }

  public static Generated writeNdjson(Path file, long records, int badPerThousand) {
    Map<Long, Defect> defects = new TreeMap<>();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (long i = 0; i < records; i++) {
        Defect defect = isBad(i, badPerThousand) ? defectOf(i) : null;
        if (defect != null) {
          defects.put(i, defect);
        }
        String[] v = values(i, defect);
        if (defect == Defect.UNPARSEABLE) {
          out.write("{\"customer_id\": \"" + v[0] + "\", \"email\": ");
        } else {
          out.write(
              "{\"customer_id\":\""
                  + v[0]
                  + "\",\"email\":\""
                  + v[1]
                  + "\",\"name\":\""
                  + v[2]
                  + "\",\"country\":\""
                  + v[3]
                  + "\",\"credit_limit_cents\":"
                  + v[4]
                  + ",\"signup_date\":\""
                  + v[5]
                  + "\"}");
        }
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return new Generated(file, records, defects);
  }

  public static Generated writeCsv(Path file, long records, int badPerThousand) {
    Map<Long, Defect> defects = new TreeMap<>();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("customer_id,email,name,country,credit_limit_cents,signup_date\r\n");
      for (long i = 0; i < records; i++) {
        Defect defect = isBad(i, badPerThousand) ? defectOf(i) : null;
        if (defect != null) {
          defects.put(i, defect);
        }
        String[] v = values(i, defect);
        if (defect == Defect.UNPARSEABLE) {
          out.write(v[0] + "," + v[1]);
        } else {
          // Names are quoted (one has a comma inside) to exercise the quoting.
          out.write(
              v[0]
                  + ","
                  + v[1]
                  + ",\""
                  + v[2].replace("\"", "\"\"")
                  + "\","
                  + v[3]
                  + ","
                  + v[4]
                  + ","
                  + v[5]);
        }
        out.write("\r\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return new Generated(file, records, defects);
  }

  /** customer_id, email, name, country, credit_limit_cents, signup_date as source text. */
  private static String[] values(long i, Defect defect) {
    String id = defect == Defect.MISSING_ID ? "  " : customerId(i);
    String email =
        defect == Defect.BAD_EMAIL
            ? "user" + i + "-at-example.com"
            : (i % 7 == 0 ? " User" + i + "@" : "user" + i + "@")
                + DOMAINS.get((int) (i % DOMAINS.size()));
    String name = i % 5 == 0 ? "  Customer   " + i + ", Jr. " : "Customer " + i;
    String country =
        defect == Defect.UNKNOWN_COUNTRY ? "XX" : COUNTRIES.get((int) (i % COUNTRIES.size()));
    String credit =
        defect == Defect.NEGATIVE_CREDIT ? "-500" : Long.toString((i * 7_919L) % 2_500_000L);
    String date =
        defect == Defect.BAD_DATE ? "2021-13-45" : FIRST_SIGNUP.plusDays(i % 2_000).toString();
    return new String[] {id, email, name, country, credit, date};
  }
}
