import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto mt-24 max-w-sm px-4">
      <h1 className="mb-2 text-2xl font-semibold">Not found</h1>
      <p className="mb-4 text-sm text-slate-600">There is nothing at this address: the node, backup or restore may have been removed.</p>
      <Link href="/" className="text-sm font-medium text-sky-700 hover:underline">
        Back to the cluster
      </Link>
    </main>
  );
}
