/**
 * Uploads an archive as the raw request body, which the browser streams from the file, telling `onSent`
 * how many bytes have gone (fetch cannot report an upload's progress; XMLHttpRequest can). Resolves to the
 * upload's id.
 */
export function uploadArchive(file: File, onSent: (bytes: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/uploads');
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.responseType = 'json';
    request.upload.onprogress = (event) => onSent(event.loaded);
    request.onload = () => {
      const body = request.response as { uploadId?: string; error?: { message?: string } } | null;
      if (request.status < 300 && body?.uploadId) resolve(body.uploadId);
      else reject(new Error(body?.error?.message ?? `the upload failed (${request.status})`));
    };
    request.onerror = () => reject(new Error('the upload failed: the connection to Lifeboat was lost'));
    request.onabort = () => reject(new Error('the upload was stopped before it ended'));
    request.ontimeout = () => reject(new Error('the upload failed: Lifeboat stopped answering'));
    request.send(file);
  });
}
