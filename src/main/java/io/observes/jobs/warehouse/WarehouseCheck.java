package io.observes.jobs.warehouse;

import io.observes.pipeline.StreamSpec;
import io.observes.pipeline.Streams;
import io.observes.pipeline.Target;
import io.observes.pipeline.stage.SegmentStager;
import io.observes.storage.ObjectStore;
import io.observes.storage.S3Uri;
import io.observes.warehouse.WarehouseClient;
import io.observes.warehouse.WarehouseProbe;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code observes warehouse check}: settles on the configured warehouse what only a real cluster can
 * settle, through the product's own code paths (the stager, {@code prepareStaging}, {@code load},
 * {@code swap}, {@code publishInPlace}), in scratch schemas {@code observes_check_<hex>...} it creates
 * and drops afterwards, failing or not, with the files it staged in the data bucket under
 * {@code <hex>}'s own folder. Nine questions, one {@link Answer} each (see docs/warehouse-check.md).
 */
public final class WarehouseCheck {
  public static final String SCHEMA_PREFIX = "observes_check_";
  private static final Logger LOG = LoggerFactory.getLogger(WarehouseCheck.class);

  private final WarehouseClient warehouse;
  private final ObjectStore store;
  private final String dataBucket;
  private final String suffix;
  private final WarehouseProbe probe;
  private final ScratchTarget swapped;
  private final ScratchTarget merged;

  /**
   * @param suffix the scratch names' random part: lower-case hex ({@link #randomSuffix})
   */
  public WarehouseCheck(WarehouseClient warehouse, ObjectStore store, String dataBucket, SegmentStager.Settings settings,
      Clock clock, String suffix) {
    this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
    this.store = Objects.requireNonNull(store, "store");
    this.dataBucket = Objects.requireNonNull(dataBucket, "dataBucket");
    if (!suffix.matches("[0-9a-f]{4,16}")) {
      throw new IllegalArgumentException("the scratch suffix must be 4 to 16 lower-case hex digits, was '" + suffix + "'");
    }
    this.suffix = suffix;
    this.probe = WarehouseProbe.of(warehouse);
    List<StreamSpec> swappedStreams = new ArrayList<>(ValueQuestions.STREAMS);
    swappedStreams.add(AccessQuestions.GRANTS);
    swappedStreams.add(BadFileQuestion.STREAM);
    this.swapped = new ScratchTarget(new Target(etl(), schema()), new Streams(swappedStreams), store, warehouse, dataBucket,
        settings, clock);
    this.merged = new ScratchTarget(new Target(etl(), schema() + "_merged"), new Streams(List.of(WideningQuestion.STREAM)),
        store, warehouse, dataBucket, settings, clock);
  }

  /** 8 random hex digits. */
  public static String randomSuffix() {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The scratch schema; the others add {@code _loading}, {@code _backup}, {@code _merged}. */
  public String schema() {
    return SCHEMA_PREFIX + suffix;
  }

  /** The ETL name the scratch runs stage under (their folder of the data bucket). */
  public String etl() {
    return "observes-check-" + suffix;
  }

  /** Where the scratch runs' files and schema cache go in the data bucket. */
  public S3Uri files() {
    return new S3Uri(dataBucket, etl() + "/");
  }

  /** Every schema the check may create. */
  List<String> scratchSchemas() {
    List<String> schemas = new ArrayList<>();
    for (ScratchTarget t : List.of(swapped, merged)) {
      schemas.add(t.target().staging());
      schemas.add(t.target().schema());
      schemas.add(t.target().backup());
    }
    return schemas;
  }

  /** The answers in question order, and what was removed afterwards. */
  public record Report(String warehouse, String schema, S3Uri files, List<Answer> answers, List<String> removed,
      String cleanupFailure) {
    public boolean passed() {
      return cleanupFailure == null && answers.stream().allMatch(Answer::passed);
    }

    /** The lines to print: what was checked where, one line per question, what was removed, the tally. */
    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      lines.add("Warehouse check of " + warehouse + " in scratch schema " + schema + "*, staged files under " + files);
      answers.forEach(a -> lines.add(a.line()));
      lines.add(cleanupFailure == null
          ? "Removed afterwards: " + (removed.isEmpty() ? "nothing was left" : String.join(", ", removed))
          : "CLEANUP FAILED: " + cleanupFailure);
      long passed = answers.stream().filter(Answer::passed).count();
      lines.add("Warehouse check: " + passed + " of " + answers.size() + " questions PASS"
          + (passed == answers.size() ? "." : "; " + (answers.size() - passed) + " FAIL."));
      return lines;
    }
  }

  /** Asks the nine questions, then drops the scratch schemas and deletes the staged files, whatever happened. */
  public Report run() {
    Map<Integer, Answer> answers = new TreeMap<>();
    String engine = "(unknown warehouse)";
    try {
      engine = engine(probe.version()) + ", client dialect " + warehouse.dialect().name();
      // Phase 2 names the run's tables in the run log, as every ETL's does: the log must exist.
      warehouse.runLog().ensure();
      ValueQuestions values = new ValueQuestions(swapped, probe);
      AccessQuestions access = new AccessQuestions(swapped, warehouse, probe);
      ask(answers, 7, AccessQuestions.GROUPS_QUESTION, access::groupsExist);
      ask(answers, 8, AccessQuestions.QUERY_GROUP_QUESTION, access::queryGroup);
      ask(answers, 1, ValueQuestions.NULLS_QUESTION, values::nulls);
      ask(answers, 2, ValueQuestions.TIMESTAMPS_QUESTION, values::timestamps);
      ask(answers, 3, ValueQuestions.DOUBLES_QUESTION, values::doubles);
      ask(answers, 4, LongTextQuestion.TEXT_QUESTION, new LongTextQuestion(swapped, probe)::ask);
      ask(answers, 6, AccessQuestions.GRANTS_QUESTION, access::swapKeepsGrants);
      ask(answers, 9, BadFileQuestion.QUESTION, new BadFileQuestion(swapped, warehouse, probe, store)::ask);
      ask(answers, 5, WideningQuestion.QUESTION, new WideningQuestion(merged, probe)::ask);
    } catch (RuntimeException e) {
      // Before any question could be asked (the warehouse unreachable, the run log not creatable).
      LOG.debug("the warehouse check could not start", e);
      String why = "not asked: the check could not start: " + Answer.message(e);
      for (int number = 1; number <= QUESTIONS.size(); number++) {
        answers.putIfAbsent(number, Answer.fail(number, QUESTIONS.get(number - 1), why));
      }
    }
    List<String> removed = new ArrayList<>();
    String cleanupFailure = null;
    try {
      removed.addAll(probe.dropScratch(scratchSchemas()));
    } catch (RuntimeException e) {
      cleanupFailure = "dropping the scratch schemas " + scratchSchemas() + " failed, drop them by hand: " + Answer.message(e);
    }
    try {
      List<S3Uri> files = store.list(files());
      files.forEach(store::delete);
      removed.add(files.size() + " staged file(s) under " + files());
    } catch (RuntimeException e) {
      cleanupFailure = (cleanupFailure == null ? "" : cleanupFailure + "; ") + "deleting the staged files under " + files()
          + " failed, delete them by hand: " + Answer.message(e);
    }
    return new Report(engine, schema(), files(), new ArrayList<>(answers.values()), removed, cleanupFailure);
  }

  /** The questions, in order. */
  static final List<String> QUESTIONS = List.of(ValueQuestions.NULLS_QUESTION, ValueQuestions.TIMESTAMPS_QUESTION,
      ValueQuestions.DOUBLES_QUESTION, LongTextQuestion.TEXT_QUESTION, WideningQuestion.QUESTION,
      AccessQuestions.GRANTS_QUESTION, AccessQuestions.GROUPS_QUESTION, AccessQuestions.QUERY_GROUP_QUESTION,
      BadFileQuestion.QUESTION);

  /** One question; what it could not even ask is its FAIL, and the others are still asked. */
  private static void ask(Map<Integer, Answer> answers, int number, String question, IntFunction<Answer> asking) {
    Answer answer;
    try {
      answer = asking.apply(number);
    } catch (RuntimeException e) {
      LOG.debug("question {} ({}) failed", number, question, e);
      answer = Answer.fail(number, question, "the check could not complete it: " + Answer.message(e));
    }
    LOG.info("question {} answered: {}", number, answer.line());
    answers.put(number, answer);
  }

  /** A short name of the engine from its {@code version()}: "Redshift 1.0.x" or "PostgreSQL 15.x". */
  static String engine(String version) {
    int redshift = version.indexOf("Redshift");
    if (redshift >= 0) {
      return version.substring(redshift).trim();
    }
    int on = version.indexOf(" on ");
    return on > 0 ? version.substring(0, on) : version;
  }
}
