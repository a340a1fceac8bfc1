import { render, screen } from '@testing-library/react';
import { CONTACT_READERS, mayRevealContact } from '@mashang/shared';
import Privacy, { WHO_SEES } from '../../src/pages/privacy/index';
import { openWith } from '../support/fake-api';

/**
 * The privacy notice must say exactly what the API enforces (shared/src/contact.ts mayRevealContact): each reader's
 * sentence is checked against the rule for a rating whose rater chose the department, one who chose only the
 * inspectors, and a complaint.
 */
describe('privacy notice (隐私保护指引) against the rules in code', () => {
  const rule = (role: (typeof CONTACT_READERS)[number]['role']) => ({
    ratingDepartment: mayRevealContact('rating', 'department', [role]),
    ratingInspectors: mayRevealContact('rating', 'inspectors', [role]),
    complaint: mayRevealContact('complaint', undefined, [role]),
  });

  it('declares for each reader what the rule decides (the table itself agrees with the rule)', () => {
    for (const r of CONTACT_READERS) {
      const got = rule(r.role);
      expect(got.ratingDepartment).toBe(r.rating !== 'never');
      expect(got.ratingInspectors).toBe(r.rating === 'always');
      expect(got.complaint).toBe(r.complaint === 'always');
    }
  });

  it.each(CONTACT_READERS.map((r) => [r.label, r] as const))('says truthfully what %s sees', async (_label, r) => {
    openWith('/pages/privacy/index', {});
    render(<Privacy />);
    const shown = (await screen.findByTestId('who-sees')).textContent ?? '';
    const sentence = WHO_SEES.find((s) => s.startsWith(`${r.label}：`));
    expect(sentence).toBeDefined();
    expect(shown).toContain(sentence);
    const got = rule(r.role);
    if (!got.ratingDepartment && !got.complaint) {
      expect(sentence).toMatch(/看不到您的姓名和手机号，打码后的号码也看不到/);
      expect(sentence).not.toMatch(/可以查看/);
    } else if (got.ratingDepartment && got.ratingInspectors && got.complaint) {
      expect(sentence).toMatch(/可以查看评价人和投诉人的手机号/);
    } else {
      // the department: only by the rater's choice, never a complainant
      expect(got).toEqual({ ratingDepartment: true, ratingInspectors: false, complaint: false });
      expect(sentence).toMatch(/选择由“责任部门”回访（默认）时，才可以查看/);
      expect(sentence).toMatch(/选择“仅纪检监察”时看不到/);
      expect(sentence).toMatch(/投诉人的任何身份信息都看不到/);
    }
  });

  it('promises no masked number anywhere and that every reveal is recorded', async () => {
    openWith('/pages/privacy/index', {});
    render(<Privacy />);
    const text = (await screen.findByTestId('who-sees')).textContent ?? '';
    expect(text).toContain('督办件和各类列表中不显示号码');
    expect(text).toContain('记录在审计日志中');
    expect(text).not.toMatch(/打码后的手机号/);
  });
});
