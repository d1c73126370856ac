import type { PostmortemReport } from './model.js';
import { renderHtml } from './render-html.js';
import type { HtmlOptions } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import type { MarkdownOptions } from './render-markdown.js';
import { renderTerminal } from './render-terminal.js';
import type { TerminalOptions } from './render-terminal.js';

export type ReportFormat = 'terminal' | 'markdown' | 'json' | 'html';

/** Every renderer's options; each reads the ones it knows. */
export type RenderOptions = TerminalOptions & MarkdownOptions & HtmlOptions;

export const renderReport = (report: PostmortemReport, format: ReportFormat, options: RenderOptions = {}): string => {
  switch (format) {
    case 'terminal':
      return renderTerminal(report, options);
    case 'markdown':
      return renderMarkdown(report, options);
    case 'json':
      return renderJson(report);
    case 'html':
      return renderHtml(report, options);
  }
};

export { renderHtml, renderJson, renderMarkdown, renderTerminal };
export type { HtmlOptions, MarkdownOptions, TerminalOptions };
