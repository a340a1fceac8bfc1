import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chineseDate, letterTemplate, PREFECTURE_ID, shanghaiDate } from '@mashang/shared';
import { get } from '../../functions/src/handlers/cases';
import { letter } from '../../functions/src/handlers/letters';
import { submit } from '../../functions/src/handlers/scan';
import { call, loginAs, requestId, uniq } from '../support/api';
import { aDepartment, anOfficial, aWindow } from '../support/builders';
import { doAction } from '../support/flows';

/** pdftotext (poppler-utils, installed by .ci/run) reads the letter back; whitespace is dropped for the checks. */
function pdfText(base64: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'letter-')), 'l.pdf');
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', [file, '-']).toString().replace(/\s+/g, '');
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Issue 15 item 6: the reminder letter fit to send. */
describe('the reminder letter fit to send', () => {
  test("when a county inspector issues the letter filled from the case, then the PDF names the county's commission, the addressee, the number, the case reference and its facts, the date in Chinese and a seal area; its text is on the timeline", async () => {
    // A department in 门源县 (a real region, so the county commission has its own name and number prefix).
    const department = await aDepartment({ regionId: 'menyuan' });
    const { code, window: w } = await aWindow({ department });
    const citizen = await loginAs(uniq('citizen-'));
    const rated = await call(submit, {
      token: citizen.token,
      body: {
        requestId: requestId(),
        code,
        level: 1,
        reasons: ['推诿扯皮'],
        comment: '材料齐全仍被要求补件',
        anonymous: true,
      },
    });
    expect(rated.status).toBe(201);
    const caseId = rated.body.caseId as string;
    const county = await anOfficial([{ role: 'inspector', scope: `${PREFECTURE_ID}/menyuan` }]);
    const token = (await loginAs(county.loginCode)).token;

    // The form's starting text: the shared template filled from the case as the inspector reads it, then edited.
    const view = await call(get, { token, params: { id: caseId } });
    const body = `${letterTemplate(view.body.case, `${PREFECTURE_ID}/menyuan`)}\n    （经电话督促仍未回复。）`;
    expect(body).toContain(caseId);
    expect(body).toContain('书面报送中共门源县纪委监委');
    const issued = await doAction(token, caseId, { type: 'reminder_letter', recipient: department.name, text: body });
    expect(issued.status).toBe(200);
    const no = issued.body.letter.no as string;
    const year = shanghaiDate(new Date()).slice(0, 4);
    expect(no).toMatch(new RegExp(`^门源纪提〔${year}〕\\d+号$`));

    const pdf = await call(letter, { token, params: { id: caseId, file: `${no}.pdf` } });
    expect(pdf.status).toBe(200);
    const text = pdfText(String(pdf.body));
    expect(text).toContain('中共门源县纪委监委'); // issuer (red head and signature)
    expect(text).not.toContain('中共海北州纪委监委');
    expect(text).toContain(`${department.name}：`); // addressee line
    expect(text).toContain(no); // number
    expect(text).toContain(`督办件编号：${caseId}`); // case reference
    expect(text).toContain(squeeze(`反映问题：${view.body.case.summary}`)); // the facts
    expect(text).toContain(squeeze(`涉及单位：${department.name} · ${w.name}`));
    expect(text).toContain('（经电话督促仍未回复。）'); // the body as edited
    expect(text).toContain(chineseDate(new Date().toISOString())); // 2026年12月1日
    expect(text).toContain('盖章处');
    // The addressee line is not doubled by a body that starts with it.
    expect(text.split(`${department.name}：`).length - 1).toBe(1);

    const after = await call(get, { token, params: { id: caseId } });
    const entry = after.body.timeline.find((t: any) => t.action === 'reminder_letter');
    expect(entry.data).toMatchObject({ no, recipient: department.name, text: body.trim() });
  });

  test("when the prefecture's inspector issues one, then it is the prefecture commission's letter", async () => {
    const department = await aDepartment({ regionId: 'qilian' });
    const { code } = await aWindow({ department });
    const citizen = await loginAs(uniq('citizen-'));
    const rated = await call(submit, {
      token: citizen.token,
      body: { requestId: requestId(), code, level: 2, reasons: ['态度生硬'], anonymous: true },
    });
    const caseId = rated.body.caseId as string;
    const prefecture = await anOfficial([{ role: 'inspector', scope: PREFECTURE_ID }]);
    const token = (await loginAs(prefecture.loginCode)).token;
    const issued = await doAction(token, caseId, {
      type: 'reminder_letter',
      recipient: department.name,
      text: `${department.name}：\n    请于 3 个工作日内核查整改并书面报告。`,
    });
    const no = issued.body.letter.no as string;
    expect(no).toMatch(/^海北纪提〔\d{4}〕\d+号$/);
    const text = pdfText(String((await call(letter, { token, params: { id: caseId, file: `${no}.pdf` } })).body));
    expect(text).toContain('中共海北州纪委监委');
    expect(text).not.toContain('中共祁连县纪委监委');
    expect(text).toContain(`督办件编号：${caseId}`);
    // An older draft that opens with the addressee line is not printed with it twice.
    expect(text.split(`${department.name}：`).length - 1).toBe(1);
  });
});
