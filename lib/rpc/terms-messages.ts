// The added calls' messages (proto/deduction.proto) from the domain's shapes.
import type { TermDefinition, TermValues } from '@/lib/agreements/arrangement-terms'

export function propertyDefinition(t: TermDefinition) {
  return {
    key: t.key,
    label: t.label,
    type: t.type,
    options: t.type === 'choice' ? t.options : [],
    required: t.required,
    defaultValue: t.default ?? '',
    changeable: t.changeable,
    masked: t.masked,
    maxLength: t.type === 'text' ? t.maxLength : 0,
  }
}

export function arrangementInfo(a: { number: string; name: string; version: string; type: string; terms: readonly TermDefinition[] }) {
  return {
    arrangementNumber: a.number,
    arrangementName: a.name,
    arrangementVersion: a.version,
    arrangementType: a.type,
    properties: a.terms.map(propertyDefinition),
  }
}

export function productInfo(p: { code: string; name: string; orgName: string; description: string; opened: boolean }) {
  return { productCode: p.code, productName: p.name, productOrgName: p.orgName, productDesc: p.description, opened: p.opened }
}

export function eventInfo(e: { action: string; outcomeCode: string; at: Date; device: string | null; values: TermValues }) {
  return { action: e.action, outcomeCode: e.outcomeCode, time: e.at.toISOString(), device: e.device ?? '', propertyValues: e.values }
}
