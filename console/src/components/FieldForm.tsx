import { useState, type ReactNode } from 'react';
import { Alert, Dialog, Form, Input, Select, Textarea } from 'tdesign-react';
import { ApiError, errorText } from '../api';

export interface FieldSpec {
  name: string;
  label: string;
  kind?: 'text' | 'select' | 'textarea';
  options?: { value: string; label: string }[];
  placeholder?: string;
  help?: ReactNode;
}

/**
 * A dialog with a form whose errors are the API's own field issues (VALIDATION_FAILED → issues[].path), shown
 * under each field; other errors above the form. Nothing is closed until the API accepted the request.
 */
export function FormDialog(props: {
  header: string;
  visible: boolean;
  fields: FieldSpec[];
  initial?: Record<string, string>;
  submitText?: string;
  onClose: () => void;
  onSubmit: (values: Record<string, string>) => Promise<void>;
  /** Called on every change (e.g. a county choice that loads the department options). */
  onValuesChange?: (values: Record<string, string>) => void;
}) {
  const [values, setValuesState] = useState<Record<string, string>>(props.initial ?? {});
  const setValues = (f: (s: Record<string, string>) => Record<string, string>) =>
    setValuesState((s) => {
      const n = f(s);
      props.onValuesChange?.(n);
      return n;
    });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setErrors({});
    setGeneral(null);
    try {
      const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
      await props.onSubmit(clean);
      props.onClose();
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) {
        const f = e.fieldErrors();
        setErrors(f);
        const known = new Set(props.fields.map((x) => x.name));
        const rest = e.issues.filter((i) => !known.has(i.path));
        if (rest.length) setGeneral(rest.map((i) => i.message).join('；'));
      } else setGeneral(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      header={props.header}
      visible={props.visible}
      onClose={props.onClose}
      onConfirm={() => void submit()}
      confirmBtn={{ content: props.submitText ?? '保存', loading: busy }}
      cancelBtn="取消"
      width={560}
      destroyOnClose
    >
      {general ? <Alert theme="error" message={general} style={{ marginBottom: 12 }} /> : null}
      <Form labelWidth={110} onSubmit={() => void submit()}>
        {props.fields.map((f) => (
          <Form.FormItem
            key={f.name}
            label={f.label}
            help={
              errors[f.name] ? (
                <span style={{ color: '#d54941' }} data-testid={`error-${f.name}`}>
                  {errors[f.name]}
                </span>
              ) : (
                f.help
              )
            }
            status={errors[f.name] ? 'error' : undefined}
          >
            {f.kind === 'textarea' ? (
              <Textarea
                value={values[f.name] ?? ''}
                onChange={(v) => setValues((s) => ({ ...s, [f.name]: String(v) }))}
                placeholder={f.placeholder}
                autosize={{ minRows: 3, maxRows: 8 }}
                aria-label={f.label}
              />
            ) : f.kind === 'select' ? (
              <Select
                value={values[f.name]}
                options={f.options}
                onChange={(v) => setValues((s) => ({ ...s, [f.name]: String(v) }))}
                placeholder={f.placeholder ?? '请选择'}
                aria-label={f.label}
              />
            ) : (
              <Input
                value={values[f.name] ?? ''}
                onChange={(v) => setValues((s) => ({ ...s, [f.name]: String(v) }))}
                placeholder={f.placeholder}
                aria-label={f.label}
              />
            )}
          </Form.FormItem>
        ))}
      </Form>
    </Dialog>
  );
}
