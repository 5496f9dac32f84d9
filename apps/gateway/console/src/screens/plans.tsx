import { useEffect, useState } from 'preact/hooks';
import type { Page, ServicePlanResponse } from '@clientele/contracts';
import { ApiError, call } from '../api';
import { useConsole } from '../ui/context';
import { Field, ScreenTitle, useErrorText, useFieldMessage } from '../ui/parts';

/** The plan catalogue (seed 002): what can be assigned to clients as licences. */
export function PlansScreen() {
  const { t, notify } = useConsole();
  const errorText = useErrorText();
  const fieldMessage = useFieldMessage();
  const [plans, setPlans] = useState<ServicePlanResponse[] | null>(null);
  const [draft, setDraft] = useState({ name: '', product: '', unitType: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});

  const load = () =>
    call<Page<ServicePlanResponse>>('GET', '/v1/service-plans?limit=200')
      .then(({ data }) => setPlans(data.data))
      .catch((caught) => notify({ kind: 'error', text: errorText(caught) }));
  useEffect(() => {
    void load();
  }, []);

  const add = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    try {
      const { data } = await call<ServicePlanResponse>('POST', '/v1/service-plans', {
        body: { name: draft.name.trim(), product: draft.product.trim(), unitType: draft.unitType.trim() },
        idempotent: true,
      });
      notify({ kind: 'success', text: t('plans.added', { name: data.name }) });
      setDraft({ name: '', product: '', unitType: '' });
      await load();
    } catch (caught) {
      if (caught instanceof ApiError && caught.problem.errors?.length) setErrors(Object.fromEntries(caught.problem.errors.map((e) => [e.field, fieldMessage(e.message)])));
      else notify({ kind: 'error', text: errorText(caught) });
    }
  };

  const toggle = async (plan: ServicePlanResponse) => {
    try {
      await call('PATCH', `/v1/service-plans/${plan.id}`, { body: { active: !plan.active } });
      await load();
    } catch (caught) {
      notify({ kind: 'error', text: errorText(caught) });
    }
  };

  return (
    <section>
      <ScreenTitle>{t('plans.title')}</ScreenTitle>
      <p class="note">{t('plans.intro')}</p>
      {plans !== null && plans.length === 0 && <p class="empty">{t('plans.empty')}</p>}
      {plans !== null && plans.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('plans.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('plans.product')}</th>
                <th scope="col">{t('plans.unitType')}</th>
                <th scope="col">{t('plans.active')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {plans.map((plan) => (
                <tr key={plan.id}>
                  <th scope="row">{plan.name}</th>
                  <td>{plan.product}</td>
                  <td>{plan.unitType}</td>
                  <td>{plan.active ? t('common.yes') : t('common.no')}</td>
                  <td>
                    <button type="button" class="secondary small" onClick={() => toggle(plan)}>
                      {plan.active ? t('plans.deactivate') : t('plans.activate')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form class="card" onSubmit={add} noValidate aria-labelledby="plan-add-title">
        <h2 id="plan-add-title">{t('plans.add')}</h2>
        <div class="grid">
          <Field path="plan.name" label={t('common.name')} value={draft.name} onValue={(name) => setDraft({ ...draft, name })} error={errors.name} required />
          <Field path="plan.product" label={t('plans.product')} value={draft.product} onValue={(product) => setDraft({ ...draft, product })} error={errors.product} required />
          <Field path="plan.unitType" label={t('plans.unitType')} value={draft.unitType} onValue={(unitType) => setDraft({ ...draft, unitType })} error={errors.unitType} hint={t('plans.unitTypeHint')} required />
        </div>
        <div class="actions">
          <button type="submit">{t('plans.add')}</button>
        </div>
      </form>
    </section>
  );
}
