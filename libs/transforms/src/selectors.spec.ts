import { buildGraph } from './dag.js';
import { allModels } from './models/index.js';
import { selectModels } from './selectors.js';

const graph = buildGraph(allModels);
const select = (selector?: string | string[]) => selectModels(graph, allModels, selector);

describe('selectModels', () => {
  it('selects everything without a selector', () => {
    expect(select()).toEqual(graph.order);
    expect(select([])).toEqual(graph.order);
  });

  it('selects by name, adding ancestors with a leading + and descendants with a trailing +', () => {
    expect(select('mart_user_fraud_status')).toEqual(['mart_user_fraud_status']);
    expect(select('+mart_user_fraud_status').sort()).toEqual(['dim_users', 'fct_orders', 'mart_user_fraud_status', 'stg_decisions', 'stg_orders', 'stg_users']);
    expect(select('stg_products+').sort()).toEqual(['dim_products', 'mart_product_payment_method', 'mart_user_product_habit', 'stg_products']);
  });

  it('selects by layer and by tag, in dependency order', () => {
    expect(select('layer:marts')).toEqual(graph.order.filter((name) => name.startsWith('mart_') || name.startsWith('vw_')));
    expect(select('tag:seed-b').sort()).toEqual([
      'dim_customer', 'dim_device', 'dim_merchant', 'fct_transactions', 'raw_order_events_flat', 'stg_customers', 'stg_decisions', 'stg_devices',
      'stg_merchants', 'stg_transactions', 'vw_customer_fraud_summary',
    ]);
  });

  it('unions space-separated selectors and lists', () => {
    expect(select('dim_products dim_users')).toEqual(['dim_products', 'dim_users']);
    expect(select(['dim_users', 'dim_products'])).toEqual(['dim_products', 'dim_users']);
  });

  it('rejects selectors that match nothing or use an unknown method', () => {
    expect(() => select('dim_user')).toThrow("selector 'dim_user' matches no model");
    expect(() => select('tag:nope')).toThrow("selector 'tag:nope' matches no model");
    expect(() => select('owner:me')).toThrow(/unknown selector method 'owner:'/);
  });
});
