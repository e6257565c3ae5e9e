package io.observes.warehouse;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How staged CSV files are compressed: the file compression parameter Redshift's COPY reads them
 * with (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-file-compression.html: GZIP
 * and ZSTD, the latter only from Amazon S3, which is where staged files are), the streams that write
 * and read them, and the levels each takes. zstd is what the stage step writes: it compresses
 * the staged CSV 2.7x faster than gzip level 1 for files 13% smaller (docs/performance.md). gzip
 * stays readable for runs staged before zstd (their manifests name no compression).
 */
public enum Compression {
  GZIP("GZIP", ".csv.gz", 1, 9),
  /**
   * zstd's own range (ZSTD_minCLevel() .. ZSTD_maxCLevel() of zstd 1.5), written out so that reading
   * gzip never needs the native library loaded.
   */
  ZSTD("ZSTD", ".csv.zst", -(1 << 17), 22);

  private static final int BUFFER = 1 << 16;

  private final String copyOption;
  private final String suffix;
  private final int lowestLevel;
  private final int highestLevel;

  Compression(String copyOption, String suffix, int lowestLevel, int highestLevel) {
    this.copyOption = copyOption;
    this.suffix = suffix;
    this.lowestLevel = lowestLevel;
    this.highestLevel = highestLevel;
  }

  /** Redshift COPY's file compression parameter for these files. */
  public String copyOption() {
    return copyOption;
  }

  /** The ending of a staged file's name, {@code .csv.gz} or {@code .csv.zst}. */
  public String suffix() {
    return suffix;
  }

  /** Throws, naming the range, unless this compression has {@code level}. */
  public int checkLevel(int level) {
    if (level < lowestLevel || level > highestLevel) {
      throw new IllegalArgumentException("the " + name().toLowerCase(Locale.ROOT) + " level must be " + lowestLevel + ".."
          + highestLevel + ", was " + level);
    }
    return level;
  }

  /** A stream compressing into {@code out} at {@code level}; closing it closes {@code out}. */
  public OutputStream compress(OutputStream out, int level) throws IOException {
    Objects.requireNonNull(out, "out");
    checkLevel(level);
    if (this == GZIP) {
      return new GZIPOutputStream(out, BUFFER) {
        {
          def.setLevel(level);
        }
      };
    }
    // A content checksum, as gzip has its CRC-32: a damaged part fails its load instead of loading garbage.
    ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, level);
    zstd.setChecksum(true);
    return zstd;
  }

  /** The uncompressed bytes of {@code in}; closing the result closes {@code in}. */
  public InputStream decompress(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    if (this == GZIP) {
      return new GZIPInputStream(in, BUFFER);
    }
    return new ZstdInputStreamNoFinalizer(in);
  }

  /**
   * The compression a segment manifest names: none (manifests written before zstd staging) is gzip;
   * one this version does not know is refused, saying what to do.
   */
  public static Compression named(String name, String where) {
    if (name == null) {
      return GZIP;
    }
    for (Compression c : values()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new IllegalStateException(where + " says its files are compressed with '" + name + "', which this version of "
        + "Observes cannot read (it reads GZIP and ZSTD): load the run with the version that staged it, or stage it "
        + "again with this one");
  }
}
