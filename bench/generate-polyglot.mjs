import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A code base in every language the scanner reads but TypeScript (which generate-sources.mjs
 * writes), each a service that reads `flagCount` flags (flag-0 … flag-N) the ways its SDK's docs
 * do: a literal key, a constant of a shared flags module (imported), and a wrapper defined in a
 * shared helper. Every method also mentions a key where it is not a reference (a comment, a map
 * lookup). Returns how many references it wrote and how many lines, by language.
 */
const LANGUAGES = {
  python: {
    shared(keys) {
      return {
        'py/app/__init__.py': '',
        'py/app/shared/__init__.py': '',
        'py/app/shared/keys.py': keys.map((k, n) => `FLAG_${n} = "${k}"`).join('\n'),
        'py/app/shared/features.py': 'from openfeature import api\n\nclient = api.get_client()\n\n\ndef py_feature_on(key, user_id):\n    return client.get_boolean_value(key, False)\n',
      };
    },
    file(i, methods) {
      const lines = ['from openfeature import api', 'from app.shared.features import py_feature_on', 'from app.shared import keys', '', 'client = api.get_client()', '', '', `class Service${i}:`];
      for (const { m, a, b, c } of methods) {
        lines.push(
          `    def step_${m}(self, user_id, record):`,
          `        # Step ${m} mentions flag-${a} in a comment only.`,
          `        total = record.get("flag-${a}", 0) + ${m}`,
          `        if client.get_boolean_value("flag-${a}", False):`,
          `            total += 1`,
          `        if client.get_string_value(keys.FLAG_${b}, "control") == "on":`,
          `            total += 2`,
          `        if py_feature_on(keys.FLAG_${c}, user_id):`,
          `            total += 3`,
          `        return total`,
          '',
        );
      }
      return { path: `py/app/module_${Math.floor(i / 50)}/service_${i}.py`, text: lines.join('\n'), init: `py/app/module_${Math.floor(i / 50)}/__init__.py` };
    },
  },
  go: {
    shared(keys) {
      return {
        'go/go.mod': 'module example.com/bench\n\ngo 1.22\n',
        'go/flags/flags.go': `package flags\n\nconst (\n${keys.map((k, n) => `\tFlag${n} = "${k}"`).join('\n')}\n)\n`,
        'go/features/features.go': 'package features\n\nimport (\n\t"context"\n\n\tof "github.com/open-feature/go-sdk/openfeature"\n)\n\nvar client = of.NewClient("bench")\n\nfunc GoFeatureOn(ctx context.Context, key string) bool {\n\ton, _ := client.BooleanValue(ctx, key, false, of.EvaluationContext{})\n\treturn on\n}\n',
      };
    },
    file(i, methods) {
      const pkg = `module${Math.floor(i / 50)}`;
      const lines = [`package ${pkg}`, '', 'import (', '\t"context"', '', '\t"example.com/bench/features"', '\t"example.com/bench/flags"', '\tof "github.com/open-feature/go-sdk/openfeature"', ')', '', `var client${i} = of.NewClient("s${i}")`, ''];
      for (const { m, a, b, c } of methods) {
        lines.push(
          `func Step${i}_${m}(ctx context.Context, record map[string]int) int {`,
          `\t// Step ${m} mentions flag-${a} in a comment only.`,
          `\ttotal := record["flag-${a}"] + ${m}`,
          `\tif on, _ := client${i}.BooleanValue(ctx, "flag-${a}", false, of.EvaluationContext{}); on {`,
          '\t\ttotal++',
          '\t}',
          `\tif v, _ := client${i}.StringValue(ctx, flags.Flag${b}, "control", of.EvaluationContext{}); v == "on" {`,
          '\t\ttotal += 2',
          '\t}',
          `\tif features.GoFeatureOn(ctx, flags.Flag${c}) {`,
          '\t\ttotal += 3',
          '\t}',
          '\treturn total',
          '}',
          '',
        );
      }
      return { path: `go/${pkg}/service_${i}.go`, text: lines.join('\n') };
    },
  },
  java: {
    shared(keys) {
      return {
        'java/com/acme/flags/Flags.java': `package com.acme.flags;\n\npublic final class Flags {\n${keys.map((k, n) => `    public static final String FLAG_${n} = "${k}";`).join('\n')}\n}\n`,
        'java/com/acme/flags/Features.java': 'package com.acme.flags;\n\nimport dev.openfeature.sdk.Client;\n\npublic final class Features {\n    private static Client client;\n\n    public static boolean javaFeatureOn(String key) {\n        return client.getBooleanValue(key, false);\n    }\n}\n',
      };
    },
    file(i, methods) {
      const pkg = `module${Math.floor(i / 50)}`;
      const lines = [`package com.acme.${pkg};`, '', 'import com.acme.flags.Features;', 'import com.acme.flags.Flags;', 'import dev.openfeature.sdk.Client;', 'import java.util.Map;', '', `public class Service${i} {`, '    private Client client;', ''];
      for (const { m, a, b, c } of methods) {
        lines.push(
          `    public int step${m}(Map<String, Integer> record) {`,
          `        // Step ${m} mentions flag-${a} in a comment only.`,
          `        int total = record.getOrDefault("flag-${a}", 0) + ${m};`,
          `        if (client.getBooleanValue("flag-${a}", false)) total++;`,
          `        if ("on".equals(client.getStringValue(Flags.FLAG_${b}, "control"))) total += 2;`,
          `        if (Features.javaFeatureOn(Flags.FLAG_${c})) total += 3;`,
          '        return total;',
          '    }',
          '',
        );
      }
      lines.push('}');
      return { path: `java/com/acme/${pkg}/Service${i}.java`, text: lines.join('\n') };
    },
  },
  kotlin: {
    shared(keys) {
      return {
        'kotlin/com/acme/kflags/KFlags.kt': `package com.acme.kflags\n\nobject KFlags {\n${keys.map((k, n) => `    const val FLAG_${n} = "${k}"`).join('\n')}\n}\n`,
        'kotlin/com/acme/kflags/KFeatures.kt': 'package com.acme.kflags\n\nimport dev.openfeature.sdk.Client\n\nobject KFeatures {\n    lateinit var client: Client\n\n    fun kotlinFeatureOn(key: String): Boolean = client.getBooleanValue(key, false)\n}\n',
      };
    },
    file(i, methods) {
      const pkg = `kmodule${Math.floor(i / 50)}`;
      const lines = [`package com.acme.${pkg}`, '', 'import com.acme.kflags.KFeatures', 'import com.acme.kflags.KFlags', 'import dev.openfeature.sdk.Client', '', `class KService${i}(private val client: Client) {`];
      for (const { m, a, b, c } of methods) {
        lines.push(
          `    fun step${m}(record: Map<String, Int>): Int {`,
          `        // Step ${m} mentions flag-${a} in a comment only.`,
          `        var total = (record["flag-${a}"] ?: 0) + ${m}`,
          `        if (client.getBooleanValue("flag-${a}", false)) total++`,
          `        if (client.getStringValue(KFlags.FLAG_${b}, "control") == "on") total += 2`,
          `        if (KFeatures.kotlinFeatureOn(KFlags.FLAG_${c})) total += 3`,
          '        return total',
          '    }',
          '',
        );
      }
      lines.push('}');
      return { path: `kotlin/com/acme/${pkg}/KService${i}.kt`, text: lines.join('\n') };
    },
  },
  csharp: {
    shared(keys) {
      return {
        'csharp/Shared/FeatureFlags.cs': `namespace Acme.Shared;\n\npublic static class FeatureFlags\n{\n${keys.map((k, n) => `    public const string Flag${n} = "${k}";`).join('\n')}\n}\n`,
        'csharp/Shared/Features.cs': 'namespace Acme.Shared;\n\npublic static class Features\n{\n    public static OpenFeature.FeatureClient Client;\n\n    public static async Task<bool> CsFeatureOn(string key) => await Client.GetBooleanValueAsync(key, false);\n}\n',
      };
    },
    file(i, methods) {
      const lines = ['using Acme.Shared;', 'using OpenFeature;', '', `namespace Acme.Module${Math.floor(i / 50)};`, '', `public class Service${i}`, '{', '    private FeatureClient client;', ''];
      for (const { m, a, b, c } of methods) {
        lines.push(
          `    public async Task<int> Step${m}(Dictionary<string, int> record)`,
          '    {',
          `        // Step ${m} mentions flag-${a} in a comment only.`,
          `        var total = record.GetValueOrDefault("flag-${a}") + ${m};`,
          `        if (await client.GetBooleanValueAsync("flag-${a}", false)) total++;`,
          `        if (await client.GetStringValueAsync(FeatureFlags.Flag${b}, "control") == "on") total += 2;`,
          `        if (await Features.CsFeatureOn(FeatureFlags.Flag${c})) total += 3;`,
          '        return total;',
          '    }',
          '',
        );
      }
      lines.push('}');
      return { path: `csharp/Module${Math.floor(i / 50)}/Service${i}.cs`, text: lines.join('\n') };
    },
  },
  ruby: {
    shared(keys) {
      return {
        'ruby/lib/flags.rb': `module Flags\n${keys.map((k, n) => `  FLAG_${n} = "${k}".freeze`).join('\n')}\nend\n`,
        'ruby/lib/features.rb': 'module Features\n  def self.rb_feature_on?(key)\n    OpenFeature::SDK.build_client.fetch_boolean_value(flag_key: key, default_value: false)\n  end\nend\n',
      };
    },
    file(i, methods) {
      const lines = ['# frozen_string_literal: true', '', `class Service${i}`, '  def initialize(client)', '    @client = client', '  end', ''];
      for (const { m, a, b, c } of methods) {
        lines.push(
          `  def step_${m}(record)`,
          `    # Step ${m} mentions flag-${a} in a comment only.`,
          `    total = record.fetch("flag-${a}", 0) + ${m}`,
          `    total += 1 if @client.fetch_boolean_value(flag_key: "flag-${a}", default_value: false)`,
          `    total += 2 if @client.fetch_string_value(flag_key: Flags::FLAG_${b}, default_value: "control") == "on"`,
          `    total += 3 if Features.rb_feature_on?(Flags::FLAG_${c})`,
          '    total',
          '  end',
          '',
        );
      }
      lines.push('end');
      return { path: `ruby/app/module_${Math.floor(i / 50)}/service_${i}.rb`, text: lines.join('\n') };
    },
  },
  php: {
    shared(keys) {
      return {
        'php/src/Shared/Flags.php': `<?php\n\nnamespace App\\Shared;\n\nfinal class Flags\n{\n${keys.map((k, n) => `    public const FLAG_${n} = '${k}';`).join('\n')}\n}\n`,
        'php/src/Shared/Features.php': '<?php\n\nnamespace App\\Shared;\n\nfinal class Features\n{\n    public static function phpFeatureOn(string $key): bool\n    {\n        return self::$client->getBooleanValue($key, false);\n    }\n}\n',
      };
    },
    file(i, methods) {
      const lines = ['<?php', '', `namespace App\\Module${Math.floor(i / 50)};`, '', 'use App\\Shared\\Features;', 'use App\\Shared\\Flags;', '', `class Service${i}`, '{'];
      for (const { m, a, b, c } of methods) {
        lines.push(
          `    public function step${m}(array $record): int`,
          '    {',
          `        // Step ${m} mentions flag-${a} in a comment only.`,
          `        $total = ($record['flag-${a}'] ?? 0) + ${m};`,
          `        if ($this->client->getBooleanValue('flag-${a}', false)) $total++;`,
          `        if ($this->client->getStringValue(Flags::FLAG_${b}, 'control') === 'on') $total += 2;`,
          `        if (Features::phpFeatureOn(Flags::FLAG_${c})) $total += 3;`,
          '        return $total;',
          '    }',
          '',
        );
      }
      lines.push('}');
      return { path: `php/src/Module${Math.floor(i / 50)}/Service${i}.php`, text: lines.join('\n') };
    },
  },
};

export const POLYGLOT_LANGUAGES = Object.keys(LANGUAGES);

/** Writes `filesPerLanguage` service files per language under `root`/src; 3 references per method. */
export function generatePolyglot(root, { filesPerLanguage, flagCount, methods = 12 }) {
  const keys = Array.from({ length: flagCount }, (_, n) => `flag-${n}`);
  const lines = {};
  let references = 0;
  const write = (path, text, language) => {
    const full = join(root, 'src', path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    lines[language] = (lines[language] ?? 0) + text.split('\n').length;
  };
  for (const [language, spec] of Object.entries(LANGUAGES)) {
    for (const [path, text] of Object.entries(spec.shared(keys))) write(path, text, language);
    for (let i = 0; i < filesPerLanguage; i++) {
      const methodKeys = Array.from({ length: methods }, (_, m) => {
        const n = i * methods + m;
        return { m, a: n % flagCount, b: (n * 7 + 3) % flagCount, c: (n * 13 + 5) % flagCount };
      });
      const file = spec.file(i, methodKeys);
      write(file.path, file.text, language);
      if (file.init) write(file.init, '', language);
      references += methods * 3;
    }
  }
  return { references, lines };
}
