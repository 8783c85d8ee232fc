import { Validator } from '@seriousme/openapi-schema-validator';
import { expect } from 'chai';
import { getMetadataStorage } from 'class-validator';
import { documentedRouteNames, openApiDocument, routeDoc } from '../../src/adapters/lambda/openapi.js';
import { ROUTES } from '../../src/adapters/lambda/routes.js';
import { apiFor } from './apiFor.js';

const document = openApiDocument(ROUTES) as any;

/** The body fields a DTO validates, and which of them it requires. */
function dtoFields(dto: new () => object): { all: string[]; required: string[] } {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const all = [...new Set(metadata.map((m) => m.propertyName))];
  const optional = new Set(metadata.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
  return { all, required: all.filter((f) => !optional.has(f)) };
}

describe('OpenAPI description', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(document);

    expect(result.errors ?? [], JSON.stringify(result.errors)).to.be.empty;
    expect(result.valid).to.equal(true);
    expect(document.openapi).to.equal('3.1.0');
  });

  it('describes exactly the routes of the route table, with their methods', () => {
    const described = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(described).to.have.members(ROUTES.map((r) => `${r.method} ${r.path}`));
    expect(documentedRouteNames()).to.have.members(ROUTES.map((r) => r.name));
  });

  for (const route of ROUTES.filter((r) => r.method === 'POST')) {
    it(`${route.path}: documents every body field the DTO reads, and requires the same ones`, () => {
      const schema = document.paths[route.path].post.requestBody.content['application/json'].schema;
      const fields = route.body ? dtoFields(route.body) : { all: [], required: [] };

      expect(Object.keys(schema.properties)).to.include.members(fields.all);
      expect(schema.required).to.have.members(fields.required);
      if (route.actor) expect(Object.keys(schema.properties)).to.include.members([route.actor.field, 'password']);
      const documented = Object.keys(routeDoc(route.name)?.body?.properties ?? {});
      expect(documented, 'no field the DTO does not know').to.have.members(fields.all);
    });
  }

  it('is served at GET /openapi.json', async () => {
    const { api } = apiFor();
    const { v2Event } = await import('./events.js');

    const result = await api.router(v2Event({ method: 'GET', path: '/openapi.json' }));

    expect(result.statusCode).to.equal(200);
    expect(JSON.parse(result.body)).to.deep.equal(document);
  });
});
