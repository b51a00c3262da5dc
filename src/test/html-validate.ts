import { HtmlValidate } from 'html-validate';

// html-validate's recommended rules, none relaxed: what the stores serve and export must pass.
const validator = new HtmlValidate({ extends: ['html-validate:recommended'] });

/** What html-validate finds wrong with a document, as "rule (line n): message" lines. */
export async function htmlProblems(document: string): Promise<string[]> {
  const report = await validator.validateString(document);
  return report.results.flatMap((result) =>
    result.messages.map((m) => `${m.ruleId} (line ${m.line}): ${m.message}`),
  );
}
