package io.observes.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Staged files' compressions: what they write reads back, their levels, and the manifest's names for them. */
class CompressionTest {
  static byte[] roundTrip(Compression compression, int level, byte[] data) throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = compression.compress(compressed, level)) {
      // In pieces, as the stage step hands over its 64 KiB buffers.
      for (int at = 0; at < data.length; at += 65_536) {
        out.write(data, at, Math.min(65_536, data.length - at));
      }
    }
    assertThat(compressed.size()).isLessThan(data.length);
    try (InputStream in = compression.decompress(new ByteArrayInputStream(compressed.toByteArray()))) {
      return in.readAllBytes();
    }
  }

  static byte[] csv() {
    StringBuilder text = new StringBuilder();
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      text.append('"').append(i).append("\",\"CVE-2024-").append(random.nextInt(99_999)).append("\",\\N,\"")
          .append(random.nextDouble()).append("\"\n");
    }
    return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void whatEachWritesReadsBackTheSame() throws IOException {
    byte[] data = csv();
    assertThat(roundTrip(Compression.ZSTD, 1, data)).isEqualTo(data);
    assertThat(roundTrip(Compression.ZSTD, -3, data)).isEqualTo(data);
    assertThat(roundTrip(Compression.GZIP, 1, data)).isEqualTo(data);
  }

  @Test
  void aDamagedZstdPartFailsToReadInsteadOfYieldingOtherBytes() throws IOException {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (OutputStream out = Compression.ZSTD.compress(compressed, 1)) {
      out.write(csv());
    }
    byte[] damaged = compressed.toByteArray();
    damaged[damaged.length / 2] ^= 0x10;
    assertThatThrownBy(() -> {
      try (InputStream in = Compression.ZSTD.decompress(new ByteArrayInputStream(damaged))) {
        in.readAllBytes();
      }
    }).isInstanceOf(IOException.class);
  }

  @Test
  void levelsAreTheLibrariesOwn() {
    assertThat(Compression.ZSTD.checkLevel(Zstd.minCompressionLevel())).isEqualTo(Zstd.minCompressionLevel());
    assertThat(Compression.ZSTD.checkLevel(Zstd.maxCompressionLevel())).isEqualTo(Zstd.maxCompressionLevel());
    assertThatThrownBy(() -> Compression.ZSTD.checkLevel(Zstd.maxCompressionLevel() + 1))
        .hasMessageContaining("zstd level must be");
    assertThatThrownBy(() -> Compression.GZIP.checkLevel(0)).hasMessageContaining("gzip level must be 1..9");
  }

  @Test
  void aManifestNamingNoneIsGzipAndOneNamingAnUnknownIsRefused() {
    assertThat(Compression.named(null, "m")).isEqualTo(Compression.GZIP);
    assertThat(Compression.named("ZSTD", "m")).isEqualTo(Compression.ZSTD);
    assertThatThrownBy(() -> Compression.named("LZOP", "run r segment 0's manifest"))
        .hasMessageContaining("run r segment 0's manifest").hasMessageContaining("'LZOP'")
        .hasMessageContaining("stage it again");
  }
}
